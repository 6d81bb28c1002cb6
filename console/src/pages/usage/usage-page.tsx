import { useMemo, useState, type FormEvent } from 'react';
import { getUsage, getUsageCsv, type UsageQuery } from '../../api/metering';
import { listOrgs } from '../../api/tenancy';
import { USAGE_GROUPS, type UsageGroup } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { OrgSelect } from '../../components/org-select';
import { useAction, useResource } from '../../components/use-resource';
import { useI18n } from '../../i18n/i18n';
import { BudgetAlerts } from './budget-alerts';
import { UsageTable } from './usage-table';

const DAY = 86_400_000;
const dateText = (ms: number) => new Date(ms).toISOString().slice(0, 10);

interface Filters {
  from: string;
  to: string;
  groups: UsageGroup[];
  orgId: string;
  keyId: string;
}

/** Usage and billing: a filterable report (dates are UTC days, `to` inclusive), totals, CSV export. */
export function UsagePage() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const orgs = useResource(() => listOrgs(api), [api]);
  const [draft, setDraft] = useState<Filters>(() => ({ from: dateText(Date.now() - 29 * DAY), to: dateText(Date.now()), groups: ['day', 'model'], orgId: '', keyId: '' }));
  const [applied, setApplied] = useState(draft);
  const query = useMemo<UsageQuery>(
    () => ({
      from: `${applied.from}T00:00:00Z`,
      to: new Date(Date.parse(`${applied.to}T00:00:00Z`) + DAY).toISOString(),
      group_by: applied.groups,
      org_id: applied.orgId || undefined,
      key_id: applied.keyId.trim() || undefined,
    }),
    [applied],
  );
  const report = useResource(() => getUsage(api, query), [api, query]);
  const exportCsv = useAction(async () => {
    const blob = await getUsageCsv(api, query);
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `baimo-usage-${applied.from}-${applied.to}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
  };
  const toggle = (g: UsageGroup, on: boolean) => setDraft({ ...draft, groups: on ? USAGE_GROUPS.filter((x) => x === g || draft.groups.includes(x)) : draft.groups.filter((x) => x !== g) });

  return (
    <section className="page" aria-labelledby="usage-title">
      <div className="page-head">
        <h1 id="usage-title">{t('nav.usage')}</h1>
      </div>
      <form className="card stack" onSubmit={submit} aria-label={t('usage.filters')}>
        <div className="row">
          <Field label={t('usage.from')}>
            <input type="date" required value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          </Field>
          <Field label={t('usage.to')}>
            <input type="date" required value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
          </Field>
          <OrgSelect orgs={orgs.data ?? []} value={draft.orgId} onChange={(orgId) => setDraft({ ...draft, orgId })} allowAll />
          <Field label={t('usage.keyId')}>
            <input className="mono" value={draft.keyId} onChange={(e) => setDraft({ ...draft, keyId: e.target.value })} />
          </Field>
        </div>
        <fieldset>
          <legend>{t('usage.groupBy')}</legend>
          <div className="checks">
            {USAGE_GROUPS.map((g) => (
              <label key={g} className="check">
                <input type="checkbox" checked={draft.groups.includes(g)} onChange={(e) => toggle(g, e.target.checked)} />
                {t(`group.${g}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="row">
          <button type="submit">{t('common.apply')}</button>
          <button type="button" className="secondary" disabled={exportCsv.busy} onClick={() => void exportCsv.run()}>
            {t('usage.exportCsv')}
          </button>
        </div>
      </form>
      <ErrorBanner error={report.error ?? exportCsv.error} />
      {report.data ? <UsageTable report={report.data} groups={applied.groups} orgs={orgs.data ?? []} /> : null}
      <BudgetAlerts orgId={applied.orgId} orgs={orgs.data ?? []} />
    </section>
  );
}
