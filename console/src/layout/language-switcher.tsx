import { LANGS, useI18n, type Lang } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';

const NAMES: Record<Lang, MessageKey> = { en: 'lang.en', 'zh-CN': 'lang.zhCN' };

export function LanguageSwitcher() {
  const { lang, setLang, t } = useI18n();
  return (
    <select className="lang-switcher" aria-label={t('lang.label')} value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
      {LANGS.map((l) => (
        <option key={l} value={l} lang={l}>
          {t(NAMES[l])}
        </option>
      ))}
    </select>
  );
}
