import { useMemo } from 'react';
import type { SeriesGroup, TimeseriesRow } from '../../api/types';
import { Chart } from '../../components/chart';
import type { TimeWindow } from '../../components/time-range';
import { fmtCost, fmtMs, fmtNumber, fmtPercent } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { axisFor, errorRates, lines, perGroup, stackedBars, totalsPerBucket } from './series';

/** Requests, tokens, cost, error rate, latency and TTFT over the window. */
export function OverviewCharts({ rows, window, group, orgName, currency }: { rows: TimeseriesRow[] | undefined; window: TimeWindow; group: SeriesGroup; orgName: (id: string) => string; currency: string }) {
  const { t, lang } = useI18n();
  const charts = useMemo(() => {
    if (!rows) return null;
    const formatBucket = (ms: number) =>
      new Date(ms).toLocaleString(lang, window.bucket === 'day' ? { month: '2-digit', day: '2-digit' } : { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    const axis = axisFor(window, formatBucket);
    const nameOf = (g: string) => (g === '' ? t('common.unknown') : group === 'org' ? orgName(g) : g);
    const other = t('common.other');
    const num = (v: number) => fmtNumber(lang, v, 2);
    const totals = totalsPerBucket(rows, axis);
    const latency = perGroup(rows, axis, group, (r) => r.latency_p95_ms);
    const latency50 = perGroup(rows, axis, group, (r) => r.latency_p50_ms);
    const ttft = perGroup(rows, axis, group, (r) => r.ttft_p50_ms);
    return [
      { key: 'requests', label: t('chart.requests', { group: t(`group.${group}`) }), option: stackedBars({ rows, axis, group, metric: (r) => r.requests, otherLabel: other, nameOf, format: num }) },
      {
        key: 'tokens',
        label: t('chart.tokens'),
        option: lines(axis, [{ name: t('metric.inputTokens'), data: totals.input }, { name: t('metric.outputTokens'), data: totals.output }], num),
      },
      { key: 'cost', label: t('chart.cost', { group: t(`group.${group}`) }), option: stackedBars({ rows, axis, group, metric: (r) => r.cost, otherLabel: other, nameOf, format: (v) => fmtCost(lang, v, currency) }) },
      { key: 'errors', label: t('chart.errorRate'), option: lines(axis, [{ name: t('metric.errorRate'), data: errorRates(totals) }], (v) => fmtPercent(lang, v)) },
      {
        key: 'latency',
        label: t('chart.latency', { group: t(`group.${group}`) }),
        option: lines(
          axis,
          [
            ...latency.map((s) => ({ name: `${t('metric.p95')} · ${nameOf(s.group)}`, data: s.data })),
            ...latency50.map((s) => ({ name: `${t('metric.p50')} · ${nameOf(s.group)}`, data: s.data, dashed: true })),
          ],
          (v) => fmtMs(lang, v),
        ),
      },
      { key: 'ttft', label: t('chart.ttft', { group: t(`group.${group}`) }), option: lines(axis, ttft.map((s) => ({ name: nameOf(s.group), data: s.data })), (v) => fmtMs(lang, v)) },
    ];
  }, [rows, window, group, orgName, currency, lang, t]);

  if (!charts) return null;
  return (
    <div className="chart-grid" data-testid="overview-charts">
      {charts.map((c) => (
        <div key={c.key} className="card">
          <Chart option={c.option} label={c.label} />
        </div>
      ))}
    </div>
  );
}
