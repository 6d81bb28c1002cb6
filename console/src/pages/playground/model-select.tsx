import type { PublishedModel } from '../../api/types';
import { Field } from '../../components/field';

export function ModelSelect({ models, value, onChange, label }: { models: readonly PublishedModel[]; value: string; onChange: (id: string) => void; label: string }) {
  return (
    <Field label={label}>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.id}
          </option>
        ))}
      </select>
    </Field>
  );
}
