import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { listLogs, type LogQuery } from '../../api/metering';
import { listModels } from '../../api/platform';
import { listOrgs } from '../../api/tenancy';
import type { RequestLog } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { OrgSelect } from '../../components/org-select';
import { TimeRangePicker } from '../../components/time-range-picker';
import { windowFor, type RangeId } from '../../components/time-range';
import { useAction, useResource } from '../../components/use-resource';
import { useI18n } from '../../i18n/i18n';
import { LogDetail } from './log-detail';
import { LogsTable } from './logs-table';

const STATUSES = ['', '2xx', '4xx', '5xx', '429'] as const;

interface Filters {
  range: RangeId;
  orgId: string;
  keyId: string;
  model: string;
  status: string;
}

/** Request logs: filter by key, model, status and time; newest first, paged; a detail view per request. */
export function LogsPage() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const orgs = useResource(() => listOrgs(api), [api]);
  const models = useResource(() => listModels(api), [api]);
  const [draft, setDraft] = useState<Filters>({ range: '24h', orgId: '', keyId: '', model: '', status: '' });
  const [applied, setApplied] = useState({ filters: draft, at: Date.now() });
  const query = useMemo<LogQuery>(() => {
    const w = windowFor(applied.filters.range, applied.at);
    const f = applied.filters;
    return { from: w.from, to: w.to, org_id: f.orgId || undefined, key_id: f.keyId.trim() || undefined, model: f.model || undefined, status: f.status || undefined, limit: 50 };
  }, [applied]);
  const first = useResource(() => listLogs(api, query), [api, query]);
  const [rows, setRows] = useState<RequestLog[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  useEffect(() => {
    setRows(first.data?.data ?? []);
    setCursor(first.data?.next_cursor ?? null);
  }, [first.data]);
  const more = useAction(async () => {
    if (!cursor) return;
    const page = await listLogs(api, { ...query, cursor });
    setRows((r) => [...r, ...page.data]);
    setCursor(page.next_cursor);
  });
  const [detailId, setDetailId] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied({ filters: draft, at: Date.now() });
  };

  return (
    <section className="page" aria-labelledby="logs-title">
      <div className="page-head">
        <h1 id="logs-title">{t('nav.logs')}</h1>
      </div>
      <form className="card row" onSubmit={submit} aria-label={t('logs.filters')}>
        <TimeRangePicker value={draft.range} onChange={(range) => setDraft({ ...draft, range })} />
        <OrgSelect orgs={orgs.data ?? []} value={draft.orgId} onChange={(orgId) => setDraft({ ...draft, orgId })} allowAll />
        <Field label={t('logs.keyId')}>
          <input className="mono" value={draft.keyId} onChange={(e) => setDraft({ ...draft, keyId: e.target.value })} />
        </Field>
        <Field label={t('logs.model')}>
          <select value={draft.model} onChange={(e) => setDraft({ ...draft, model: e.target.value })}>
            <option value="">{t('logs.anyModel')}</option>
            {(models.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('logs.status')}>
          <select value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === '' ? t('logs.anyStatus') : s}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit">{t('common.apply')}</button>
      </form>
      <ErrorBanner error={first.error ?? more.error} />
      <LogsTable rows={rows} onOpen={setDetailId} />
      {cursor ? (
        <button type="button" className="secondary" disabled={more.busy} onClick={() => void more.run()}>
          {t('logs.loadMore')}
        </button>
      ) : null}
      <LogDetail id={detailId} onClose={() => setDetailId(null)} />
    </section>
  );
}
