import { useMemo, useState } from 'react';
import { getTimeseries, getUsage } from '../../api/metering';
import { listOrgs } from '../../api/tenancy';
import type { SeriesGroup } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { TimeRangePicker } from '../../components/time-range-picker';
import { windowFor, type RangeId } from '../../components/time-range';
import { useResource } from '../../components/use-resource';
import { fmtCost, fmtNumber, fmtPercent } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { Breakdowns } from './breakdowns';
import { OverviewCharts } from './overview-charts';

const GROUPS: readonly SeriesGroup[] = ['model', 'provider', 'org'];

export function OverviewPage() {
  const { t, lang } = useI18n();
  const { api } = useSignedIn();
  const [range, setRange] = useState<RangeId>('24h');
  const [group, setGroup] = useState<SeriesGroup>('model');
  const [refreshed, setRefreshed] = useState(() => Date.now());
  const window = useMemo(() => windowFor(range, refreshed), [range, refreshed]);

  const orgs = useResource(() => listOrgs(api), [api]);
  const totals = useResource(() => getUsage(api, { from: window.from, to: window.to }), [api, window]);
  const series = useResource(() => getTimeseries(api, { from: window.from, to: window.to, bucket: window.bucket, group_by: group }), [api, window, group]);
  const orgName = useMemo(() => {
    const names = new Map((orgs.data ?? []).map((o) => [o.id, o.name]));
    return (id: string) => names.get(id) ?? id;
  }, [orgs.data]);

  const errorRate = series.data ? ratio(series.data.reduce((s, r) => s + r.errors, 0), series.data.reduce((s, r) => s + r.requests, 0)) : null;
  const report = totals.data;
  const currency = report?.currency ?? 'USD';

  return (
    <section className="page" aria-labelledby="overview-title">
      <div className="page-head">
        <h1 id="overview-title">{t('nav.overview')}</h1>
        <div className="row filters">
          <TimeRangePicker value={range} onChange={setRange} />
          <Field label={t('overview.groupBy')}>
            <select value={group} onChange={(e) => setGroup(e.target.value as SeriesGroup)}>
              {GROUPS.map((g) => (
                <option key={g} value={g}>
                  {t(`group.${g}`)}
                </option>
              ))}
            </select>
          </Field>
          <button type="button" className="secondary" onClick={() => setRefreshed(Date.now())}>
            {t('common.refresh')}
          </button>
        </div>
      </div>
      <ErrorBanner error={totals.error} />
      <dl className="kpis" data-testid="kpis">
        <Kpi label={t('metric.requests')} value={fmtNumber(lang, report?.totals.requests)} testId="kpi-requests" />
        <Kpi label={t('metric.tokens')} value={report ? fmtNumber(lang, report.totals.input_tokens + report.totals.output_tokens) : '—'} testId="kpi-tokens" />
        <Kpi label={t('metric.cost')} value={currency === 'mixed' ? t('usage.mixedCurrency') : fmtCost(lang, report?.totals.cost, currency)} testId="kpi-cost" />
        <Kpi label={t('metric.errorRate')} value={fmtPercent(lang, errorRate)} testId="kpi-error-rate" />
      </dl>
      {series.error ? <ErrorBanner error={series.error} /> : <OverviewCharts rows={series.data} window={window} group={group} orgName={orgName} currency={currency} />}
      <Breakdowns window={window} orgName={orgName} />
    </section>
  );
}

function Kpi({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="kpi card">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
