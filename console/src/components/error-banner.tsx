import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';

/**
 * Shows what went wrong. A route the server does not have yet (a 404 "Unknown route") gets its
 * own message, so a console ahead of its server degrades to a banner instead of a broken page.
 */
export function ErrorBanner({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  let message: string;
  if (error instanceof ApiError && error.isMissingRoute) message = t('error.missingRoute');
  else if (error instanceof ApiError && error.status === 401) message = t('error.unauthenticated', { message: error.message });
  else if (error instanceof ApiError && error.status === 403) message = t('error.forbidden', { message: error.message });
  else if (error instanceof ApiError) message = t('error.api', { status: error.status, message: error.message });
  else if (error instanceof TypeError) message = t('error.network');
  else message = error instanceof Error ? error.message : String(error);
  return (
    <div className="banner error" role="alert">
      {message}
    </div>
  );
}
