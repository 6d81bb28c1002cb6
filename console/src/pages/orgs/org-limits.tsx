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

/** An org's limits: the operator edits them, members read them (docs/tenancy.md, who may do what). */
export function OrgLimits({ org, editable, onSaved }: { org: Org; editable: boolean; onSaved: () => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [values, setValues] = useState(() => Object.fromEntries(LIMIT_FIELDS.map((f) => [f, numberText(org[f])])) as Record<(typeof LIMIT_FIELDS)[number], string>);
  const [period, setPeriod] = useState(org.budget_period);
  const [disabled, setDisabled] = useState(org.disabled);
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    await updateOrg(api, org.id, { ...Object.fromEntries(LIMIT_FIELDS.map((f) => [f, nullableNumber(values[f])])), budget_period: period, disabled });
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
        <label className="check">
          <input type="checkbox" checked={disabled} disabled={!editable} onChange={(e) => setDisabled(e.target.checked)} />
          {t('orgs.disableOrg')}
        </label>
        {editable ? (
          <div className="row">
            <button type="submit" disabled={save.busy}>
              {t('common.save')}
            </button>
            <span aria-live="polite" className="hint">
              {saved ? t('common.saved') : ''}
            </span>
          </div>
        ) : (
          <p className="hint">{t('orgs.limitsOperatorOnly')}</p>
        )}
      </form>
      <ErrorBanner error={save.error} />
    </Section>
  );
}
