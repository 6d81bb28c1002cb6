import { useEffect, useState, type FormEvent } from 'react';
import type { ChatMessage, ChatParams } from '../../api/chat-stream';
import type { PublishedModel } from '../../api/types';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { useI18n } from '../../i18n/i18n';
import { ModelSelect } from './model-select';
import { RunStats } from './run-stats';
import { paramsOf, withSystem, type Settings } from './settings';
import { useChatRun } from './use-chat-run';

const MIN = 2;
const MAX = 4;

interface Request {
  id: number;
  messages: ChatMessage[];
  params: ChatParams;
}

/** The same prompt to 2–4 models at once, each answer with its latency, TTFT, tokens and cost. */
export function ComparePanel({ models, settings, orgId }: { models: readonly PublishedModel[]; settings: Settings; orgId?: string }) {
  const { t } = useI18n();
  const [slots, setSlots] = useState<string[]>([]);
  const [prompt, setPrompt] = useState('');
  const [request, setRequest] = useState<Request | null>(null);
  const [formError, setFormError] = useState<unknown>(null);
  const chosen = Array.from({ length: Math.max(MIN, slots.length) }, (_, i) => slots[i] || models[i % Math.max(models.length, 1)]?.id || '');

  const run = (e: FormEvent) => {
    e.preventDefault();
    if (!prompt.trim()) return;
    try {
      const params = paramsOf(settings);
      setFormError(null);
      setRequest({ id: (request?.id ?? 0) + 1, messages: withSystem(settings, [{ role: 'user', content: prompt }]), params });
    } catch (err) {
      setFormError(new Error(t('playground.toolsInvalid', { message: (err as Error).message })));
    }
  };

  return (
    <section className="card stack" aria-labelledby="compare-title">
      <h2 id="compare-title">{t('playground.compare')}</h2>
      {models.length === 0 ? <p className="empty">{t('playground.noModels')}</p> : null}
      <form className="stack" onSubmit={run}>
        <Field label={t('playground.prompt')}>
          <textarea rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        </Field>
        <div className="row">
          <button type="submit" disabled={!prompt.trim() || models.length === 0}>
            {t('playground.run')}
          </button>
          <button type="button" className="secondary" disabled={chosen.length >= MAX} onClick={() => setSlots([...chosen, models[chosen.length % Math.max(models.length, 1)]?.id ?? ''])}>
            {t('playground.addModel')}
          </button>
        </div>
      </form>
      <ErrorBanner error={formError} />
      <div className="compare-grid" data-testid="compare-grid">
        {chosen.map((model, i) => (
          <CompareColumn
            key={i}
            index={i}
            models={models}
            model={model}
            onModel={(id) => setSlots(chosen.map((m, j) => (j === i ? id : m)))}
            onRemove={chosen.length > MIN ? () => setSlots(chosen.filter((_, j) => j !== i)) : undefined}
            request={request}
            orgId={orgId}
          />
        ))}
      </div>
    </section>
  );
}

function CompareColumn({ index, models, model, onModel, onRemove, request, orgId }: { index: number; models: readonly PublishedModel[]; model: string; onModel: (id: string) => void; onRemove?: () => void; request: Request | null; orgId?: string }) {
  const { t } = useI18n();
  const { state, start } = useChatRun(orgId);
  useEffect(() => {
    if (request && model) void start(model, request.messages, request.params);
    // Only a new request starts a run; picking another model waits for the next "Run on all".
  }, [request?.id]);
  const price = models.find((m) => m.id === model)?.pricing;
  return (
    <article className="compare-col card" aria-label={t('playground.column', { n: index + 1, model })} data-model={model} data-status={state.status}>
      <div className="row">
        <ModelSelect models={models} value={model} onChange={onModel} label={t('playground.modelN', { n: index + 1 })} />
        {onRemove ? (
          <button type="button" className="secondary small" onClick={onRemove} aria-label={t('playground.removeModel', { n: index + 1 })}>
            {t('common.remove')}
          </button>
        ) : null}
      </div>
      <div className="answer" aria-live="polite" aria-busy={state.status === 'running'} data-testid="answer">
        {state.text || (state.status === 'running' ? t('playground.waiting') : '')}
      </div>
      {state.run ? <RunStats run={state.run} price={price} /> : null}
      <ErrorBanner error={state.error} />
    </article>
  );
}
