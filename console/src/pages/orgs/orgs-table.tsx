import type { Org } from '../../api/types';
import { Section } from '../../components/section';
import { fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

export function OrgsTable({ orgs, onSelect }: { orgs: readonly Org[]; onSelect: (id: string) => void }) {
  const { t, lang } = useI18n();
  const limit = (n: number | null) => (n === null ? t('limits.none') : fmtNumber(lang, n, 2));
  return (
    <Section title={t('orgs.list')} id="orgs-list-title">
      {orgs.length === 0 ? <p className="empty">{t('orgs.none')}</p> : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="orgs-list-title">
        <table data-testid="orgs-table">
          <thead>
            <tr>
              <th scope="col">{t('orgs.name')}</th>
              <th scope="col">{t('orgs.id')}</th>
              <th scope="col" className="num">{t('limits.rpm')}</th>
              <th scope="col" className="num">{t('limits.tpm')}</th>
              <th scope="col" className="num">{t('limits.concurrency')}</th>
              <th scope="col" className="num">{t('limits.budget')}</th>
              <th scope="col">{t('orgs.status')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {orgs.map((org) => (
              <tr key={org.id}>
                <th scope="row">{org.name}</th>
                <td className="mono">{org.id}</td>
                <td className="num">{limit(org.rpm)}</td>
                <td className="num">{limit(org.tpm)}</td>
                <td className="num">{limit(org.max_concurrency)}</td>
                <td className="num">{limit(org.budget)}</td>
                <td>
                  <span className={org.disabled ? 'badge bad' : 'badge ok'}>{org.disabled ? t('orgs.disabled') : t('orgs.active')}</span>
                </td>
                <td>
                  <button type="button" className="secondary small" onClick={() => onSelect(org.id)} aria-label={t('orgs.manage', { name: org.name })}>
                    {t('common.manage')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
