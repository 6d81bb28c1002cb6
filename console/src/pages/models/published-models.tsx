import { listModels } from '../../api/platform';
import type { ModelPrice, PublishedModel } from '../../api/types';
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
    { key: 'priceOther', header: t('models.priceOther'), cell: (m) => <OtherPrices pricing={m.pricing} /> },
  ];
  return (
    <Section title={t('models.published')} id="published-title">
      <ErrorBanner error={models.error} />
      <DataTable columns={columns} rows={models.data} rowKey={(m) => m.id} labelledBy="published-title" testId="published-models" empty={t('models.none')} />
      <p className="hint">{t('models.priceUnit')}</p>
    </Section>
  );
}

/** Cache, thinking-mode and long-input prices, where the model has them; one line each. */
function OtherPrices({ pricing }: { pricing: ModelPrice | null }) {
  const { t, lang } = useI18n();
  if (!pricing) return <>—</>;
  const cost = (n: number) => fmtCost(lang, n, pricing.currency);
  const lines: string[] = [];
  if (pricing.cached_input !== undefined) lines.push(t('models.priceCached', { price: cost(pricing.cached_input) }));
  if (pricing.cache_write !== undefined) lines.push(t('models.priceCacheWrite', { price: cost(pricing.cache_write) }));
  if (pricing.reasoning !== undefined) lines.push(t('models.priceReasoning', { price: cost(pricing.reasoning) }));
  for (const tier of pricing.tiers ?? []) {
    lines.push(t('models.priceTier', { tokens: fmtNumber(lang, tier.above_input_tokens), input: cost(tier.input), output: cost(tier.output) }));
  }
  if (lines.length === 0) return <>—</>;
  return (
    <ul className="price-lines">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}
