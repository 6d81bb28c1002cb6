import { listModels } from '../../api/platform';
import type { PublishedModel } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import { Section } from '../../components/section';
import { useResource } from '../../components/use-resource';
import { fmtCost, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

export function PublishedModels({ version }: { version: number }) {
  const { t, lang } = useI18n();
  const { api } = useSignedIn();
  const models = useResource(() => listModels(api), [api, version]);
  const columns: Column<PublishedModel>[] = [
    { key: 'name', header: t('models.name'), rowHeader: true, cell: (m) => <code>{m.id}</code> },
    { key: 'owner', header: t('models.owner'), cell: (m) => m.owned_by },
    {
      key: 'capabilities',
      header: t('models.capabilities'),
      cell: (m) =>
        m.capabilities.map((c) => (
          <span key={c} className="chip">
            {c}
          </span>
        )),
    },
    { key: 'context', header: t('models.context'), numeric: true, cell: (m) => fmtNumber(lang, m.context_window) },
    { key: 'priceIn', header: t('models.priceIn'), numeric: true, cell: (m) => (m.pricing ? fmtCost(lang, m.pricing.input, m.pricing.currency) : '—') },
    { key: 'priceOut', header: t('models.priceOut'), numeric: true, cell: (m) => (m.pricing ? fmtCost(lang, m.pricing.output, m.pricing.currency) : '—') },
  ];
  return (
    <Section title={t('models.published')} id="published-title">
      <ErrorBanner error={models.error} />
      <DataTable columns={columns} rows={models.data} rowKey={(m) => m.id} labelledBy="published-title" testId="published-models" empty={t('models.none')} />
      <p className="hint">{t('models.priceUnit')}</p>
    </Section>
  );
}
