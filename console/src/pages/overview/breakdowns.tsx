import { getUsage } from '../../api/metering';
import type { UsageReport, UsageRow } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import type { TimeWindow } from '../../components/time-range';
import { useResource } from '../../components/use-resource';
import { fmtCost, fmtNumber, fmtPercent } from '../../format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/en';

const DIMENSIONS = [
  { group: 'model', field: 'model', title: 'overview.byModel' },
  { group: 'provider', field: 'provider', title: 'overview.byProvider' },
  { group: 'org', field: 'org_id', title: 'overview.byOrg' },
] as const satisfies readonly { group: string; field: string; title: MessageKey }[];

/** Where the traffic went over the window: by model, provider and org (from the usage report). */
export function Breakdowns({ window, orgName }: { window: TimeWindow; orgName: (id: string) => string }) {
  const { api } = useSignedIn();
  return (
    <div className="breakdowns">
      {DIMENSIONS.map((d) => (
        <Breakdown key={d.group} dimension={d} load={() => getUsage(api, { from: window.from, to: window.to, group_by: [d.group] })} deps={[api, window]} name={d.group === 'org' ? orgName : (v) => v} />
      ))}
    </div>
  );
}

function Breakdown({ dimension, load, deps, name }: { dimension: (typeof DIMENSIONS)[number]; load: () => Promise<UsageReport>; deps: unknown[]; name: (v: string) => string }) {
  const { t, lang } = useI18n();
  const { data, error } = useResource(load, deps);
  const total = data?.totals.requests ?? 0;
  const rows = [...(data?.data ?? [])].sort((a, b) => b.requests - a.requests);
  const titleId = `breakdown-${dimension.group}`;
  const nameOf = (value: string | null | undefined) => (value ? name(value) : t('common.unknown'));
  const columns: Column<UsageRow>[] = [
    { key: 'name', header: t(`group.${dimension.group}`), rowHeader: true, cell: (row) => nameOf(row[dimension.field]) },
    { key: 'requests', header: t('metric.requests'), numeric: true, cell: (row) => fmtNumber(lang, row.requests) },
    { key: 'tokens', header: t('metric.tokens'), numeric: true, cell: (row) => fmtNumber(lang, row.input_tokens + row.output_tokens) },
    { key: 'cost', header: t('metric.cost'), numeric: true, cell: (row) => fmtCost(lang, row.cost, row.currency ?? data?.currency) },
    {
      key: 'share',
      header: t('metric.share'),
      cell: (row) => {
        const share = total > 0 ? row.requests / total : 0;
        return (
          <span className="share">
            <span className="share-bar" aria-hidden="true" style={{ width: `${Math.round(share * 100)}%` }} />
            <span>{fmtPercent(lang, share)}</span>
          </span>
        );
      },
    },
  ];
  return (
    <section className="card" aria-labelledby={titleId} data-testid={titleId}>
      <h2 id={titleId}>{t(dimension.title)}</h2>
      <ErrorBanner error={error} />
      {rows.length === 0 && !error ? <p className="empty">{t('common.noData')}</p> : null}
      {rows.length > 0 ? <DataTable columns={columns} rows={rows} rowKey={(row) => row[dimension.field] ?? ''} labelledBy={titleId} /> : null}
    </section>
  );
}
