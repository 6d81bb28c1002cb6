import { BUDGET_PERIODS, type BudgetPeriod } from '../api/types';
import { useI18n } from '../i18n/i18n';

const LABELS = { total: 'limits.periodTotal', monthly: 'limits.periodMonthly' } as const;

/** Whether a budget is a lifetime cap or starts afresh each calendar month (UTC). */
export function BudgetPeriodSelect({ value, onChange, disabled, id, ...aria }: { value: BudgetPeriod; onChange: (period: BudgetPeriod) => void; disabled?: boolean; id?: string; 'aria-describedby'?: string }) {
  const { t } = useI18n();
  return (
    <select id={id} aria-describedby={aria['aria-describedby']} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as BudgetPeriod)}>
      {BUDGET_PERIODS.map((p) => (
        <option key={p} value={p}>
          {t(LABELS[p])}
        </option>
      ))}
    </select>
  );
}
