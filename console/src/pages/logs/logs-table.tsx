import type { RequestLog } from '../../api/types';
import { fmtCost, fmtDateTime, fmtMs, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

const statusTone = (status: number) => (status < 400 ? 'ok' : status === 429 || status < 500 ? 'warn' : 'bad');

export function LogsTable({ rows, onOpen }: { rows: readonly RequestLog[]; onOpen: (id: string) => void }) {
  const { t, lang } = useI18n();
  return (
    <section className="card" aria-labelledby="logs-list-title">
      <h2 id="logs-list-title" className="visually-hidden">
        {t('logs.list')}
      </h2>
      {rows.length === 0 ? <p className="empty">{t('logs.none')}</p> : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="logs-list-title">
        <table data-testid="logs-table">
          <thead>
            <tr>
              <th scope="col">{t('logs.time')}</th>
              <th scope="col">{t('logs.model')}</th>
              <th scope="col">{t('logs.status')}</th>
              <th scope="col" className="num">{t('metric.latency')}</th>
              <th scope="col" className="num">{t('metric.ttft')}</th>
              <th scope="col" className="num">{t('metric.tokensInOut')}</th>
              <th scope="col" className="num">{t('metric.cost')}</th>
              <th scope="col">{t('logs.key')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-log-id={r.id}>
                <td>{fmtDateTime(lang, r.created_at)}</td>
                <th scope="row">
                  <code>{r.model}</code>
                  {r.stream ? <span className="chip">{t('logs.stream')}</span> : null}
                </th>
                <td>
                  <span className={`badge ${statusTone(r.status)}`}>{r.status}</span>
                  {r.error_code ? <div className="hint">{r.error_code}</div> : null}
                </td>
                <td className="num">{fmtMs(lang, r.latency_ms)}</td>
                <td className="num">{fmtMs(lang, r.ttft_ms)}</td>
                <td className="num">
                  {fmtNumber(lang, r.input_tokens)} / {fmtNumber(lang, r.output_tokens)}
                </td>
                <td className="num">{fmtCost(lang, r.cost)}</td>
                <td className="mono">{r.key_id ?? t('logs.noKey')}</td>
                <td>
                  <button type="button" className="secondary small" onClick={() => onOpen(r.id)} aria-label={t('logs.viewOne', { id: r.id })}>
                    {t('logs.view')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
