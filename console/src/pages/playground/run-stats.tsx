import { costOf, type ChatRun } from '../../api/chat-stream';
import type { ModelPrice } from '../../api/types';
import { fmtCost, fmtMs, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** Latency, time to first token, tokens and cost of one answer. */
export function RunStats({ run, price }: { run: ChatRun; price: ModelPrice | null | undefined }) {
  const { t, lang } = useI18n();
  const cost = costOf(run.usage, price);
  return (
    <dl className="run-stats" data-testid="run-stats">
      <div>
        <dt>{t('metric.latency')}</dt>
        <dd data-stat="latency">{fmtMs(lang, run.latencyMs)}</dd>
      </div>
      <div>
        <dt>{t('metric.ttft')}</dt>
        <dd data-stat="ttft">{fmtMs(lang, run.ttftMs)}</dd>
      </div>
      <div>
        <dt>{t('metric.tokensInOut')}</dt>
        <dd data-stat="tokens">{run.usage ? `${fmtNumber(lang, run.usage.prompt_tokens)} / ${fmtNumber(lang, run.usage.completion_tokens)}` : '—'}</dd>
      </div>
      <div>
        <dt>{t('metric.cost')}</dt>
        <dd data-stat="cost">{fmtCost(lang, cost, price?.currency)}</dd>
      </div>
    </dl>
  );
}
