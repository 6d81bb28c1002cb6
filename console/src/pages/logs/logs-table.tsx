import type { RequestLog } from '../../api/types';
import { DataTable, type Column } from '../../components/data-table';
import { fmtCost, fmtDateTime, fmtMs, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

const statusTone = (status: number) => (status < 400 ? 'ok' : status === 429 || status < 500 ? 'warn' : 'bad');

export function LogsTable({ rows, onOpen }: { rows: readonly RequestLog[]; onOpen: (id: string) => void }) {
  const { t, lang } = useI18n();
  const columns: Column<RequestLog>[] = [
    { key: 'time', header: t('logs.time'), cell: (r) => fmtDateTime(lang, r.created_at) },
    {
      key: 'model',
      header: t('logs.model'),
      rowHeader: true,
      cell: (r) => (
        <>
          <code>{r.model}</code>
          {r.stream ? <span className="chip">{t('logs.stream')}</span> : null}
        </>
      ),
    },
    {
      key: 'status',
      header: t('logs.status'),
      cell: (r) => (
        <>
          <span className={`badge ${statusTone(r.status)}`}>{r.status}</span>
          {r.error_code ? <div className="hint">{r.error_code}</div> : null}
        </>
      ),
    },
    { key: 'latency', header: t('metric.latency'), numeric: true, cell: (r) => fmtMs(lang, r.latency_ms) },
    { key: 'ttft', header: t('metric.ttft'), numeric: true, cell: (r) => fmtMs(lang, r.ttft_ms) },
    { key: 'tokens', header: t('metric.tokensInOut'), numeric: true, cell: (r) => `${fmtNumber(lang, r.input_tokens)} / ${fmtNumber(lang, r.output_tokens)}` },
    { key: 'cost', header: t('metric.cost'), numeric: true, cell: (r) => fmtCost(lang, r.cost) },
    { key: 'key', header: t('logs.key'), className: 'mono', cell: (r) => r.key_id ?? t('logs.noKey') },
    {
      key: 'actions',
      header: t('common.actions'),
      cell: (r) => (
        <button type="button" className="secondary small" onClick={() => onOpen(r.id)} aria-label={t('logs.viewOne', { id: r.id })}>
          {t('logs.view')}
        </button>
      ),
    },
  ];
  return (
    <section className="card" aria-labelledby="logs-list-title">
      <h2 id="logs-list-title" className="visually-hidden">
        {t('logs.list')}
      </h2>
      <DataTable columns={columns} rows={rows} rowKey={(r) => r.id} rowAttributes={(r) => ({ 'data-log-id': r.id })} labelledBy="logs-list-title" testId="logs-table" empty={t('logs.none')} />
    </section>
  );
}
