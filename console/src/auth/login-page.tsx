import { useState, type FormEvent } from 'react';
import { ErrorBanner } from '../components/error-banner';
import { Field } from '../components/field';
import { Tabs } from '../components/tabs';
import { useI18n } from '../i18n/i18n';
import { Brand } from '../layout/brand';
import { LanguageSwitcher } from '../layout/language-switcher';
import { useSession } from './session';

type Mode = 'user' | 'operator';

export function LoginPage() {
  const { t } = useI18n();
  const { signInWithKey, signInWithPassword } = useSession();
  const [mode, setMode] = useState<Mode>('user');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [masterKey, setMasterKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'user') await signInWithPassword(email.trim(), password);
      else await signInWithKey(masterKey.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <div className="login-card card">
        <div className="login-head">
          <Brand />
          <LanguageSwitcher />
        </div>
        <h1>{t('auth.title')}</h1>
        <Tabs
          label={t('auth.mode')}
          idPrefix="login-tab"
          controls="login-form"
          value={mode}
          onChange={setMode}
          options={[
            { value: 'user', label: t('auth.modeUser') },
            { value: 'operator', label: t('auth.modeOperator') },
          ]}
        />
        <form onSubmit={submit} className="stack" id="login-form" role="tabpanel" aria-labelledby={`login-tab-${mode}`}>
          {mode === 'user' ? (
            <>
              <Field label={t('auth.email')}>
                <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
              </Field>
              <Field label={t('auth.password')}>
                <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
              </Field>
            </>
          ) : (
            <Field label={t('auth.masterKey')} hint={t('auth.masterKeyHint')}>
              <input type="password" autoComplete="off" required value={masterKey} onChange={(e) => setMasterKey(e.target.value)} />
            </Field>
          )}
          <ErrorBanner error={error} />
          <button type="submit" disabled={busy}>
            {t('auth.signIn')}
          </button>
        </form>
      </div>
    </main>
  );
}
