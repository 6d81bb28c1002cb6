import { useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Field } from './field';

/** A key's plaintext, shown once: copy it now, then dismiss; the server never shows it again. */
export function SecretOnce({ secret, onDismiss }: { secret: string; onDismiss: () => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  const copy = async () => {
    input.current?.select();
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // Clipboard API needs a secure context; the selected text can still be copied by hand.
      setCopied(document.execCommand?.('copy') ? 'yes' : 'failed');
    }
  };

  return (
    <div className="secret-once banner success" role="status">
      <p>
        <strong>{t('keys.secretTitle')}</strong> {t('keys.secretWarning')}
      </p>
      <div className="row">
        <Field label={t('keys.secretLabel')} className="grow">
          <input ref={input} className="mono" readOnly value={secret} onFocus={(e) => e.target.select()} data-testid="new-key-secret" />
        </Field>
        <button type="button" onClick={() => void copy()}>
          {t('common.copy')}
        </button>
        <button type="button" className="secondary" onClick={onDismiss}>
          {t('keys.secretDone')}
        </button>
      </div>
      <p aria-live="polite" className="hint">
        {copied === 'yes' ? t('common.copied') : copied === 'failed' ? t('common.copyFailed') : ''}
      </p>
    </div>
  );
}
