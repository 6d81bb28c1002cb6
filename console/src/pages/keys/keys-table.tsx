import type { ApiKey } from '../../api/types';
import { ConfirmButton } from '../../components/confirm-button';
import { DataTable, type Column } from '../../components/data-table';
import { Section } from '../../components/section';
import { fmtDateTime, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

export function KeysTable({ keys, onRevoke, onRotate }: { keys: readonly ApiKey[]; onRevoke: (id: string) => void; onRotate: (id: string) => void }) {
  const { t, lang } = useI18n();
  const limit = (n: number | null) => (n === null ? t('limits.none') : fmtNumber(lang, n, 2));
  const budgetText = (k: ApiKey) => (k.budget !== null && k.budget_period === 'monthly' ? `${limit(k.budget)} ${t('limits.perMonth')}` : limit(k.budget));
  const now = Date.now();
  const statusOf = (k: ApiKey) => (k.revoked_at ? 'revoked' : k.expires_at !== null && Date.parse(k.expires_at) <= now ? 'expired' : 'active');
  const columns: Column<ApiKey>[] = [
    { key: 'name', header: t('keys.name'), rowHeader: true, cell: (k) => k.name },
    { key: 'prefix', header: t('keys.prefix'), className: 'mono', cell: (k) => `${k.prefix}…` },
    { key: 'models', header: t('keys.models'), cell: (k) => (k.models ? k.models.join(', ') : t('keys.allModels')) },
    { key: 'rpm', header: t('limits.rpm'), numeric: true, cell: (k) => limit(k.rpm) },
    { key: 'tpm', header: t('limits.tpm'), numeric: true, cell: (k) => limit(k.tpm) },
    { key: 'budget', header: t('limits.budget'), numeric: true, cell: (k) => budgetText(k) },
    {
      key: 'status',
      header: t('keys.status'),
      cell: (k) => {
        const status = statusOf(k);
        return (
          <>
            <span className={status === 'active' ? 'badge ok' : 'badge bad'}>{t(`keys.${status}`)}</span>
            {k.expires_at ? <div className="hint">{t('keys.expiresAt', { at: fmtDateTime(lang, k.expires_at) })}</div> : null}
          </>
        );
      },
    },
    { key: 'lastUsed', header: t('keys.lastUsed'), cell: (k) => fmtDateTime(lang, k.last_used_at) },
    {
      key: 'actions',
      header: t('common.actions'),
      cell: (k) =>
        k.revoked_at ? null : (
          <span className="row nowrap">
            <ConfirmButton label={t('keys.rotate')} confirmLabel={t('keys.confirmRotate')} accessibleName={t('keys.rotateOne', { name: k.name })} onConfirm={() => onRotate(k.id)} />
            <ConfirmButton label={t('keys.revoke')} confirmLabel={t('keys.confirmRevoke')} accessibleName={t('keys.revokeOne', { name: k.name })} onConfirm={() => onRevoke(k.id)} />
          </span>
        ),
    },
  ];
  return (
    <Section title={t('keys.list')} id="keys-list-title">
      <DataTable columns={columns} rows={keys} rowKey={(k) => k.id} rowAttributes={(k) => ({ 'data-key-id': k.id })} labelledBy="keys-list-title" testId="keys-table" empty={t('keys.none')} />
    </Section>
  );
}
