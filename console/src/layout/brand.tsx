import { useI18n } from '../i18n/i18n';

/** The product mark and name, as the top bar and the sign-in card show them. */
export function Brand() {
  const { t } = useI18n();
  return (
    <span className="brand">
      <span className="brand-mark" aria-hidden="true">
        {t('app.mark')}
      </span>
      {t('app.name')}
    </span>
  );
}
