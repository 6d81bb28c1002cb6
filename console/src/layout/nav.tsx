import { useI18n } from '../i18n/i18n';
import { pageMatches, PAGES } from '../pages';
import { Link, useRoute } from '../router';

export function Nav({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useI18n();
  const { path } = useRoute();
  return (
    <nav id="primary-nav" className="nav" aria-label={t('nav.label')}>
      <ul>
        {PAGES.map((page) => (
          <li key={page.path}>
            <Link to={page.path} aria-current={pageMatches(page, path) ? 'page' : undefined} onNavigate={onNavigate}>
              {t(page.label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
