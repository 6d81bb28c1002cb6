import type { ApiKey } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { Section } from '../../components/section';
import { fmtDateTime, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

export function KeysTable({ keys, onRevoke, onRotate }: { keys: readonly ApiKey[]; onRevoke: (id: string) => void; onRotate: (id: string) => void }) {
  const { t, lang } = useI18n();
  const limit = (n: number | null) => (n === null ? t('limits.none') : fmtNumber(lang, n, 2));
  const now = Date.now();
  return (
    <Section title={t('keys.list')} id="keys-list-title">
      {keys.length === 0 ? <p className="empty">{t('keys.none')}</p> : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="keys-list-title">
        <table data-testid="keys-table">
          <thead>
            <tr>
              <th scope="col">{t('keys.name')}</th>
              <th scope="col">{t('keys.prefix')}</th>
              <th scope="col">{t('keys.models')}</th>
              <th scope="col" className="num">{t('limits.rpm')}</th>
              <th scope="col" className="num">{t('limits.tpm')}</th>
              <th scope="col" className="num">{t('limits.budget')}</th>
              <th scope="col">{t('keys.status')}</th>
              <th scope="col">{t('keys.lastUsed')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const expired = k.expires_at !== null && Date.parse(k.expires_at) <= now;
              const status = k.revoked_at ? 'revoked' : expired ? 'expired' : 'active';
              return (
                <tr key={k.id} data-key-id={k.id}>
                  <th scope="row">{k.name}</th>
                  <td className="mono">{k.prefix}…</td>
                  <td>{k.models ? k.models.join(', ') : t('keys.allModels')}</td>
                  <td className="num">{limit(k.rpm)}</td>
                  <td className="num">{limit(k.tpm)}</td>
                  <td className="num">{limit(k.budget)}</td>
                  <td>
                    <span className={status === 'active' ? 'badge ok' : 'badge bad'}>{t(`keys.${status}`)}</span>
                    {k.expires_at ? <div className="hint">{t('keys.expiresAt', { at: fmtDateTime(lang, k.expires_at) })}</div> : null}
                  </td>
                  <td>{fmtDateTime(lang, k.last_used_at)}</td>
                  <td>
                    {k.revoked_at ? null : (
                      <span className="row nowrap">
                        <ConfirmButton label={t('keys.rotate')} confirmLabel={t('keys.confirmRotate')} accessibleName={t('keys.rotateOne', { name: k.name })} onConfirm={() => onRotate(k.id)} />
                        <ConfirmButton label={t('keys.revoke')} confirmLabel={t('keys.confirmRevoke')} accessibleName={t('keys.revokeOne', { name: k.name })} onConfirm={() => onRevoke(k.id)} />
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
