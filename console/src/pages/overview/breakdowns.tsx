import { getUsage } from '../../api/metering';
import type { UsageReport } from '../../api/types';
import { useSignedIn } from '../../auth/session';
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
  return (
    <section className="card" aria-labelledby={titleId} data-testid={titleId}>
      <h2 id={titleId}>{t(dimension.title)}</h2>
      <ErrorBanner error={error} />
      {rows.length === 0 && !error ? <p className="empty">{t('common.noData')}</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t(`group.${dimension.group}`)}</th>
                <th scope="col" className="num">{t('metric.requests')}</th>
                <th scope="col" className="num">{t('metric.tokens')}</th>
                <th scope="col" className="num">{t('metric.cost')}</th>
                <th scope="col">{t('metric.share')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => {
                const key = row[dimension.field] ?? '';
                const share = total > 0 ? row.requests / total : 0;
                return (
                  <tr key={key}>
                    <th scope="row">{key ? name(key) : t('common.unknown')}</th>
                    <td className="num">{fmtNumber(lang, row.requests)}</td>
                    <td className="num">{fmtNumber(lang, row.input_tokens + row.output_tokens)}</td>
                    <td className="num">{fmtCost(lang, row.cost, row.currency ?? data?.currency)}</td>
                    <td>
                      <span className="share">
                        <span className="share-bar" aria-hidden="true" style={{ width: `${Math.round(share * 100)}%` }} />
                        <span>{fmtPercent(lang, share)}</span>
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
