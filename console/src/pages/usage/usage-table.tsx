import type { Org, UsageGroup, UsageReport, UsageRow } from '../../api/types';
import { DataTable, type Column } from '../../components/data-table';
import { Section } from '../../components/section';
import { fmtCost, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** Where each group's value sits in a usage row (docs/metering.md, group fields). */
const FIELD: Record<UsageGroup, keyof UsageRow> = { model: 'model', provider: 'provider', org: 'org_id', key: 'key_id', deployment: 'deployment_id', day: 'day', hour: 'hour' };

export function UsageTable({ report, groups, orgs }: { report: UsageReport; groups: readonly UsageGroup[]; orgs: readonly Org[] }) {
  const { t, lang } = useI18n();
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const cell = (row: UsageRow, g: UsageGroup) => {
    const value = row[FIELD[g]] as string | null | undefined;
    if (!value) return t('common.unknown');
    return g === 'org' ? (orgName.get(value) ?? value) : value;
  };
  const totalCost = report.currency === 'mixed' ? t('usage.mixedCurrency') : fmtCost(lang, report.totals.cost, report.currency);
  const scope: Column<UsageRow>[] = groups.length === 0 ? [{ key: 'scope', header: t('usage.scope'), cell: () => t('usage.allTraffic') }] : [];
  const columns: Column<UsageRow>[] = [
    ...scope,
    ...groups.map((g): Column<UsageRow> => ({ key: g, header: t(`group.${g}`), className: g === 'org' || g === 'key' || g === 'deployment' ? 'mono' : undefined, cell: (row) => cell(row, g) })),
    { key: 'requests', header: t('metric.requests'), numeric: true, cell: (row) => fmtNumber(lang, row.requests) },
    { key: 'input', header: t('metric.inputTokens'), numeric: true, cell: (row) => fmtNumber(lang, row.input_tokens) },
    { key: 'output', header: t('metric.outputTokens'), numeric: true, cell: (row) => fmtNumber(lang, row.output_tokens) },
    { key: 'cached', header: t('metric.cachedTokens'), numeric: true, cell: (row) => fmtNumber(lang, row.cached_tokens) },
    { key: 'cost', header: t('metric.cost'), numeric: true, cell: (row) => fmtCost(lang, row.cost, row.currency ?? report.currency) },
  ];
  const totals = (
    <tr>
      <th scope="row" colSpan={Math.max(groups.length, 1)}>
        {t('usage.total')}
      </th>
      <td className="num" data-testid="usage-total-requests">
        {fmtNumber(lang, report.totals.requests)}
      </td>
      <td className="num">{fmtNumber(lang, report.totals.input_tokens)}</td>
      <td className="num">{fmtNumber(lang, report.totals.output_tokens)}</td>
      <td className="num">{fmtNumber(lang, report.totals.cached_tokens)}</td>
      <td className="num">{totalCost}</td>
    </tr>
  );
  return (
    <Section title={t('usage.report')} id="usage-report-title">
      {/* Rows have no id of their own: the report's order is stable, so the index keys them. */}
      <DataTable columns={columns} rows={report.data} rowKey={(_, i) => i} labelledBy="usage-report-title" testId="usage-table" empty={t('common.noData')} foot={totals} />
      {report.totals.estimated_requests > 0 ? <p className="hint">{t('usage.estimated', { n: fmtNumber(lang, report.totals.estimated_requests) })}</p> : null}
      {report.totals.unpriced_requests > 0 ? <p className="hint">{t('usage.unpriced', { n: fmtNumber(lang, report.totals.unpriced_requests) })}</p> : null}
    </Section>
  );
}
