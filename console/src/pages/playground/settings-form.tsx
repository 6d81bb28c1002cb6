import { Field } from '../../components/field';
import { useI18n } from '../../i18n/i18n';
import type { Settings } from './settings';

export function SettingsForm({ value, onChange }: { value: Settings; onChange: (s: Settings) => void }) {
  const { t } = useI18n();
  const set = (field: keyof Settings) => (e: { target: { value: string } }) => onChange({ ...value, [field]: e.target.value });
  return (
    <section className="card stack" aria-labelledby="pg-settings-title">
      <h2 id="pg-settings-title">{t('playground.settings')}</h2>
      <Field label={t('playground.system')}>
        <textarea rows={3} value={value.system} onChange={set('system')} />
      </Field>
      <div className="grid-3">
        <Field label={t('playground.temperature')}>
          <input type="number" min="0" max="2" step="0.1" inputMode="decimal" value={value.temperature} onChange={set('temperature')} />
        </Field>
        <Field label={t('playground.topP')}>
          <input type="number" min="0" max="1" step="0.05" inputMode="decimal" value={value.topP} onChange={set('topP')} />
        </Field>
        <Field label={t('playground.maxTokens')}>
          <input type="number" min="1" step="1" inputMode="numeric" value={value.maxTokens} onChange={set('maxTokens')} />
        </Field>
      </div>
      <Field label={t('playground.tools')} hint={t('playground.toolsHint')}>
        <textarea rows={4} className="mono" spellCheck={false} value={value.tools} onChange={set('tools')} />
      </Field>
    </section>
  );
}
