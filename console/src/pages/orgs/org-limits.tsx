import { useState, type FormEvent } from 'react';
import { updateOrg } from '../../api/tenancy';
import type { Org } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { BudgetPeriodSelect } from '../../components/budget-period-select';
import { Field } from '../../components/field';
import { Section } from '../../components/section';
import { useAction } from '../../components/use-resource';
import { useI18n } from '../../i18n/i18n';
import { nullableNumber, numberText } from '../../components/number-input';

const LIMIT_FIELDS = ['rpm', 'tpm', 'max_concurrency', 'budget'] as const;
const LABELS = { rpm: 'limits.rpm', tpm: 'limits.tpm', max_concurrency: 'limits.concurrency', budget: 'limits.budget' } as const;

/**
 * An org's limits: the operator edits them, members read them; the alert webhook URL is the
 * org's own business, so its owners and admins edit it too (docs/tenancy.md, who may do what).
 */
export function OrgLimits({ org, editable, onSaved }: { org: Org; editable: boolean; onSaved: () => void }) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const role = session.kind === 'user' ? session.orgs.find((o) => o.org_id === org.id)?.role : undefined;
  const webhookEditable = editable || role === 'owner' || role === 'admin';
  // Write-only, like a key: answers show only its origin, so the field starts empty and the URL
  // is sent only when a new one is typed or removal is asked for.
  const [webhook, setWebhook] = useState('');
  const [removeWebhook, setRemoveWebhook] = useState(false);
  const [values, setValues] = useState(() => Object.fromEntries(LIMIT_FIELDS.map((f) => [f, numberText(org[f])])) as Record<(typeof LIMIT_FIELDS)[number], string>);
  const [period, setPeriod] = useState(org.budget_period);
  const [disabled, setDisabled] = useState(org.disabled);
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    const typed = webhook.trim();
    const hook = typed ? { alert_webhook_url: typed } : removeWebhook ? { alert_webhook_url: null } : {};
    // Only the operator may send limits at all: an admin's save carries the webhook URL alone.
    const limits = editable ? { ...Object.fromEntries(LIMIT_FIELDS.map((f) => [f, nullableNumber(values[f])])), budget_period: period, disabled } : {};
    await updateOrg(api, org.id, { ...limits, ...hook });
    setWebhook('');
    setRemoveWebhook(false);
    setSaved(true);
    onSaved();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void save.run();
  };
  return (
    <Section title={t('orgs.limitsOf', { name: org.name })} id="org-limits-title">
      <form className="stack" onSubmit={submit}>
        <div className="grid-2">
          {LIMIT_FIELDS.map((f) => (
            <Field key={f} label={t(LABELS[f])} hint={t('limits.emptyIsNone')}>
              <input type="number" min="0" step="any" readOnly={!editable} value={values[f]} onChange={(e) => setValues({ ...values, [f]: e.target.value })} />
            </Field>
          ))}
          <Field label={t('limits.budgetPeriod')} hint={t('limits.budgetPeriodHint')}>
            <BudgetPeriodSelect value={period} onChange={setPeriod} disabled={!editable} />
          </Field>
        </div>
        <Field label={t('limits.webhookUrl')} hint={org.alert_webhook_url ? t('limits.webhookCurrent', { url: org.alert_webhook_url }) : t('limits.webhookUrlHint')}>
          <input type="url" className="mono" readOnly={!webhookEditable} value={webhook} onChange={(e) => setWebhook(e.target.value)} />
        </Field>
        {org.alert_webhook_url && webhookEditable ? (
          <label className="check">
            <input type="checkbox" checked={removeWebhook} onChange={(e) => setRemoveWebhook(e.target.checked)} />
            {t('limits.webhookRemove')}
          </label>
        ) : null}
        <label className="check">
          <input type="checkbox" checked={disabled} disabled={!editable} onChange={(e) => setDisabled(e.target.checked)} />
          {t('orgs.disableOrg')}
        </label>
        {webhookEditable ? (
          <div className="row">
            <button type="submit" disabled={save.busy}>
              {t('common.save')}
            </button>
            <span aria-live="polite" className="hint">
              {saved ? t('common.saved') : ''}
            </span>
          </div>
        ) : (
          <p className="hint">{t('orgs.limitsOperatorOnly')} {t('limits.webhookManagersOnly')}</p>
        )}
        {webhookEditable && !editable ? <p className="hint">{t('orgs.limitsOperatorOnly')}</p> : null}
      </form>
      <ErrorBanner error={save.error} />
    </Section>
  );
}
