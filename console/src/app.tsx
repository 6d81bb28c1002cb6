import { Suspense } from 'react';
import { LoginPage } from './auth/login-page';
import { useSession } from './auth/session';
import { Loading } from './components/loading';
import { useI18n } from './i18n/i18n';
import { Shell } from './layout/shell';
import { pageMatches, PAGES } from './pages';
import { useRoute } from './router';

export function App() {
  const { status } = useSession();
  const { path } = useRoute();
  const { t } = useI18n();
  if (status === 'checking') return <Loading />;
  if (status === 'signed-out') return <LoginPage />;
  const page = PAGES.find((p) => pageMatches(p, path));
  const Page = page?.component;
  return (
    <Shell>
      <Suspense fallback={<Loading />}>
        {Page ? (
          <Page />
        ) : (
          <section className="page">
            <h1>{t('page.notFound')}</h1>
          </section>
        )}
      </Suspense>
    </Shell>
  );
}
