import type { ReactNode } from 'react';
import { getLog } from '../../api/metering';
import type { MessageKey } from '../../i18n/en';
import { useSignedIn } from '../../auth/session';
import { Dialog } from '../../components/dialog';
import { ErrorBanner } from '../../components/error-banner';
import { useResource } from '../../components/use-resource';
import { fmtCost, fmtDateTime, fmtMs, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** One request: every field of its log row, and the bodies where its org logs them. */
export function LogDetail({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { api } = useSignedIn();
  const log = useResource(() => (id ? getLog(api, id) : Promise.resolve(undefined)), [api, id]);
  const d = id && log.data?.id === id ? log.data : undefined;
  const rows: [MessageKey, ReactNode][] = d
    ? [
        ['logs.requestId', <code>{d.id}</code>],
        ['logs.time', fmtDateTime(lang, d.created_at)],
        ['logs.endpoint', <code>{d.endpoint}</code>],
        ['logs.model', <code>{d.model}</code>],
        ['logs.deployment', d.deployment_id ?? '—'],
        ['logs.provider', d.provider ?? '—'],
        ['logs.status', d.status],
        ['logs.error', d.error_code ? `${d.error_code}: ${d.error_message ?? ''}` : '—'],
        ['metric.latency', fmtMs(lang, d.latency_ms)],
        ['metric.ttft', fmtMs(lang, d.ttft_ms)],
        ['metric.inputTokens', fmtNumber(lang, d.input_tokens)],
        ['metric.outputTokens', fmtNumber(lang, d.output_tokens)],
        ['metric.cost', fmtCost(lang, d.cost)],
        ['logs.org', d.org_id ?? '—'],
        ['logs.key', d.key_id ?? t('logs.noKey')],
        ['logs.stream', d.stream ? t('common.yes') : t('common.no')],
      ]
    : [];
  return (
    <Dialog title={t('logs.detail')} open={id !== null} onClose={onClose}>
      <ErrorBanner error={log.error} />
      {d ? (
        <div data-testid="log-detail">
          <dl className="detail-list">
            {rows.map(([label, value]) => (
              <div key={label}>
                <dt>{t(label)}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <h3>{t('logs.requestBody')}</h3>
          {d.request_body ? <pre className="code">{pretty(d.request_body)}</pre> : <p className="hint">{t('logs.bodiesOff')}</p>}
          <h3>{t('logs.responseBody')}</h3>
          {d.response_body ? <pre className="code">{pretty(d.response_body)}</pre> : <p className="hint">{t('logs.bodiesOff')}</p>}
        </div>
      ) : null}
    </Dialog>
  );
}

/** Bodies are JSON text, possibly truncated (then no longer valid JSON): show them as they are. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
