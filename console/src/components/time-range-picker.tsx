import { useI18n } from '../i18n/i18n';
import { Field } from './field';
import { RANGES, type RangeId } from './time-range';

export function TimeRangePicker({ value, onChange }: { value: RangeId; onChange: (id: RangeId) => void }) {
  const { t } = useI18n();
  return (
    <Field label={t('range.label')}>
      <select value={value} onChange={(e) => onChange(e.target.value as RangeId)}>
        {RANGES.map((r) => (
          <option key={r.id} value={r.id}>
            {t(r.label)}
          </option>
        ))}
      </select>
    </Field>
  );
}
