import type { Org } from '../../api/types';
import { DataTable, type Column } from '../../components/data-table';
import { Section } from '../../components/section';
import { fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

export function OrgsTable({ orgs, onSelect }: { orgs: readonly Org[]; onSelect: (id: string) => void }) {
  const { t, lang } = useI18n();
  const limit = (n: number | null) => (n === null ? t('limits.none') : fmtNumber(lang, n, 2));
  const columns: Column<Org>[] = [
    { key: 'name', header: t('orgs.name'), rowHeader: true, cell: (org) => org.name },
    { key: 'id', header: t('orgs.id'), className: 'mono', cell: (org) => org.id },
    { key: 'rpm', header: t('limits.rpm'), numeric: true, cell: (org) => limit(org.rpm) },
    { key: 'tpm', header: t('limits.tpm'), numeric: true, cell: (org) => limit(org.tpm) },
    { key: 'concurrency', header: t('limits.concurrency'), numeric: true, cell: (org) => limit(org.max_concurrency) },
    { key: 'budget', header: t('limits.budget'), numeric: true, cell: (org) => (org.budget !== null && org.budget_period === 'monthly' ? `${limit(org.budget)} ${t('limits.perMonth')}` : limit(org.budget)) },
    {
      key: 'status',
      header: t('orgs.status'),
      cell: (org) => <span className={org.disabled ? 'badge bad' : 'badge ok'}>{org.disabled ? t('orgs.disabled') : t('orgs.active')}</span>,
    },
    {
      key: 'actions',
      header: t('common.actions'),
      cell: (org) => (
        <button type="button" className="secondary small" onClick={() => onSelect(org.id)} aria-label={t('orgs.manage', { name: org.name })}>
          {t('common.manage')}
        </button>
      ),
    },
  ];
  return (
    <Section title={t('orgs.list')} id="orgs-list-title">
      <DataTable columns={columns} rows={orgs} rowKey={(org) => org.id} labelledBy="orgs-list-title" testId="orgs-table" empty={t('orgs.none')} />
    </Section>
  );
}
