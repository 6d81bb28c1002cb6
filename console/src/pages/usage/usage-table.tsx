import type { Org, UsageGroup, UsageReport, UsageRow } from '../../api/types';
import { Section } from '../../components/section';
import { fmtCost, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** Where each group's value sits in a usage row (docs/metering.md, group fields). */
const FIELD: Record<UsageGroup, keyof UsageRow> = { model: 'model', provider: 'provider', org: 'org_id', key: 'key_id', deployment: 'deployment_id', day: 'day', hour: 'hour' };

export function UsageTable({ report, groups, orgs }: { report: UsageReport; groups: readonly UsageGroup[]; orgs: readonly Org[] }) {
  const { t, lang } = useI18n();
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const cell = (row: UsageRow, g: UsageGroup) => {
    const value = row[FIELD[g]] as string | undefined;
    if (!value) return t('common.unknown');
    return g === 'org' ? (orgName.get(value) ?? value) : value;
  };
  const totalCost = report.currency === 'mixed' ? t('usage.mixedCurrency') : fmtCost(lang, report.totals.cost, report.currency);
  return (
    <Section title={t('usage.report')} id="usage-report-title">
      {report.data.length === 0 ? <p className="empty">{t('common.noData')}</p> : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="usage-report-title">
        <table data-testid="usage-table">
          <thead>
            <tr>
              {groups.length === 0 ? <th scope="col">{t('usage.scope')}</th> : null}
              {groups.map((g) => (
                <th key={g} scope="col">
                  {t(`group.${g}`)}
                </th>
              ))}
              <th scope="col" className="num">{t('metric.requests')}</th>
              <th scope="col" className="num">{t('metric.inputTokens')}</th>
              <th scope="col" className="num">{t('metric.outputTokens')}</th>
              <th scope="col" className="num">{t('metric.cachedTokens')}</th>
              <th scope="col" className="num">{t('metric.cost')}</th>
            </tr>
          </thead>
          <tbody>
            {report.data.map((row, i) => (
              <tr key={i}>
                {groups.length === 0 ? <td>{t('usage.allTraffic')}</td> : null}
                {groups.map((g) => (
                  <td key={g} className={g === 'org' || g === 'key' || g === 'deployment' ? 'mono' : undefined}>
                    {cell(row, g)}
                  </td>
                ))}
                <td className="num">{fmtNumber(lang, row.requests)}</td>
                <td className="num">{fmtNumber(lang, row.input_tokens)}</td>
                <td className="num">{fmtNumber(lang, row.output_tokens)}</td>
                <td className="num">{fmtNumber(lang, row.cached_tokens)}</td>
                <td className="num">{fmtCost(lang, row.cost, row.currency ?? report.currency)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
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
          </tfoot>
        </table>
      </div>
      {report.totals.estimated_requests > 0 ? <p className="hint">{t('usage.estimated', { n: fmtNumber(lang, report.totals.estimated_requests) })}</p> : null}
      {report.totals.unpriced_requests > 0 ? <p className="hint">{t('usage.unpriced', { n: fmtNumber(lang, report.totals.unpriced_requests) })}</p> : null}
    </Section>
  );
}
