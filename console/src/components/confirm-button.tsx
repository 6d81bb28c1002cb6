import { useState } from 'react';
import { useI18n } from '../i18n/i18n';

/** A destructive action in two steps (no blocking window.confirm): click, then confirm or cancel. */
export function ConfirmButton({ label, confirmLabel, onConfirm, disabled, accessibleName }: { label: string; confirmLabel: string; onConfirm: () => void; disabled?: boolean; accessibleName?: string }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="secondary small" disabled={disabled} aria-label={accessibleName} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={accessibleName ?? label}>
      <button
        type="button"
        className="danger small"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="secondary small" onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </button>
    </span>
  );
}
