import { useState, type FormEvent } from 'react';
import { listModels } from '../../api/platform';
import { createKey } from '../../api/tenancy';
import type { BudgetPeriod, CreatedKey, KeyLimitsInput } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { BudgetPeriodSelect } from '../../components/budget-period-select';
import { Field } from '../../components/field';
import { Section } from '../../components/section';
import { useAction, useResource } from '../../components/use-resource';
import { useI18n } from '../../i18n/i18n';
import { optionalNumber } from '../../components/number-input';

const EMPTY = { name: '', rpm: '', tpm: '', concurrency: '', budget: '', expires: '' };
/** The whole-number limits, each at least 1. */
const COUNT_LIMITS = [
  { field: 'rpm', label: 'limits.rpm' },
  { field: 'tpm', label: 'limits.tpm' },
  { field: 'concurrency', label: 'limits.concurrency' },
] as const;

export function CreateKeyForm({ orgId, onCreated }: { orgId: string; onCreated: (key: CreatedKey) => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const models = useResource(() => listModels(api), [api]);
  const [form, setForm] = useState(EMPTY);
  const [allowed, setAllowed] = useState<string[]>([]);
  const [period, setPeriod] = useState<BudgetPeriod>('total');
  const set = (field: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });

  const create = useAction(async () => {
    const body: KeyLimitsInput = {
      name: form.name.trim(),
      ...(allowed.length > 0 ? { models: allowed } : {}),
      rpm: optionalNumber(form.rpm),
      tpm: optionalNumber(form.tpm),
      max_concurrency: optionalNumber(form.concurrency),
      budget: optionalNumber(form.budget),
      budget_period: period,
      // a date input: the key works through the end of that day (UTC)
      expires_at: form.expires ? new Date(`${form.expires}T23:59:59Z`).toISOString() : undefined,
    };
    onCreated(await createKey(api, orgId, body));
    setForm(EMPTY);
    setAllowed([]);
    setPeriod('total');
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  const toggle = (name: string, on: boolean) => setAllowed(on ? [...allowed, name] : allowed.filter((m) => m !== name));

  return (
    <Section title={t('keys.create')} id="create-key-title">
      <form className="stack" onSubmit={submit}>
        <div className="row">
          <Field label={t('keys.name')} className="grow">
            <input required value={form.name} onChange={set('name')} />
          </Field>
          {COUNT_LIMITS.map(({ field, label }) => (
            <Field key={field} label={t(label)}>
              <input type="number" min="1" step="1" inputMode="numeric" value={form[field]} onChange={set(field)} />
            </Field>
          ))}
          <Field label={t('limits.budget')}>
            <input type="number" min="0" step="any" inputMode="decimal" value={form.budget} onChange={set('budget')} />
          </Field>
          <Field label={t('limits.budgetPeriod')}>
            <BudgetPeriodSelect value={period} onChange={setPeriod} />
          </Field>
          <Field label={t('keys.expires')}>
            <input type="date" value={form.expires} onChange={set('expires')} />
          </Field>
        </div>
        <fieldset className="models-pick">
          <legend>{t('keys.allowedModels')}</legend>
          <p className="hint">{t('keys.allowedModelsHint')}</p>
          <div className="checks">
            {(models.data ?? []).map((m) => (
              <label key={m.id} className="check">
                <input type="checkbox" checked={allowed.includes(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} />
                <code>{m.id}</code>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="row">
          <button type="submit" disabled={create.busy}>
            {t('keys.createButton')}
          </button>
        </div>
      </form>
      <ErrorBanner error={create.error ?? models.error} />
    </Section>
  );
}
