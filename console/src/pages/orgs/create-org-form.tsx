import { useState, type FormEvent } from 'react';
import { createOrg } from '../../api/tenancy';
import type { Org } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { Section } from '../../components/section';
import { useAction } from '../../components/use-resource';
import { useI18n } from '../../i18n/i18n';
import { optionalNumber } from '../../components/number-input';
import { BudgetPeriodSelect } from '../../components/budget-period-select';
import type { BudgetPeriod } from '../../api/types';

export function CreateOrgForm({ onCreated }: { onCreated: (org: Org) => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [name, setName] = useState('');
  const [budget, setBudget] = useState('');
  const [period, setPeriod] = useState<BudgetPeriod>('total');
  const [rpm, setRpm] = useState('');
  const create = useAction(async () => {
    const org = await createOrg(api, { name: name.trim(), budget: optionalNumber(budget), budget_period: period, rpm: optionalNumber(rpm) });
    setName('');
    setBudget('');
    setPeriod('total');
    setRpm('');
    onCreated(org);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  return (
    <Section title={t('orgs.create')} id="create-org-title">
      <form className="row" onSubmit={submit}>
        <Field label={t('orgs.name')}>
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('limits.budget')}>
          <input type="number" min="0" step="any" inputMode="decimal" value={budget} onChange={(e) => setBudget(e.target.value)} />
        </Field>
        <Field label={t('limits.budgetPeriod')}>
          <BudgetPeriodSelect value={period} onChange={setPeriod} />
        </Field>
        <Field label={t('limits.rpm')}>
          <input type="number" min="1" step="1" inputMode="numeric" value={rpm} onChange={(e) => setRpm(e.target.value)} />
        </Field>
        <button type="submit" disabled={create.busy}>
          {t('orgs.createButton')}
        </button>
      </form>
      <ErrorBanner error={create.error} />
    </Section>
  );
}
