import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { Brand } from './brand';
import { LanguageSwitcher } from './language-switcher';
import { Nav } from './nav';
import { useRoute } from '../router';

/**
 * Page frame: a side navigation at desktop width; at phone width the nav collapses behind a menu
 * button in the top bar (styles.css switches at 760px).
 */
export function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { session, signOut } = useSession();
  const { navigate, path } = useRoute();
  // After an in-app navigation, move focus to the new page (as a full page load would).
  const mounted = useRef(false);
  useEffect(() => {
    if (mounted.current) document.getElementById('main')?.focus();
    mounted.current = true;
  }, [path]);
  const [menuOpen, setMenuOpen] = useState(false);
  const who = session?.kind === 'user' ? session.user.email : t('auth.operator');
  return (
    <div className={`shell${menuOpen ? ' menu-open' : ''}`}>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="primary-nav" onClick={() => setMenuOpen((open) => !open)}>
          <span aria-hidden="true" className="menu-icon" />
          <span className="visually-hidden">{t('nav.menu')}</span>
        </button>
        <Brand />
        <span className="topbar-spacer" />
        <LanguageSwitcher />
        <span className="who" title={who}>
          {who}
        </span>
        <button type="button" className="secondary" onClick={() => void signOut().then(() => navigate('/'))}>
          {t('auth.signOut')}
        </button>
      </header>
      <Nav onNavigate={() => setMenuOpen(false)} />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
