import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatMessage } from '../../api/chat-stream';
import type { PublishedModel } from '../../api/types';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { useI18n } from '../../i18n/i18n';
import { ModelSelect } from './model-select';
import { RunStats } from './run-stats';
import { paramsOf, withSystem, type Settings } from './settings';
import { useChatRun } from './use-chat-run';

/** A streaming conversation with one model. */
export function ChatPanel({ models, settings, orgId }: { models: readonly PublishedModel[]; settings: Settings; orgId?: string }) {
  const { t } = useI18n();
  const [model, setModel] = useState('');
  const current = models.find((m) => m.id === model) ?? models[0];
  const [history, setHistory] = useState<ChatMessage[]>([]);
  const [input, setInput] = useState('');
  const [formError, setFormError] = useState<unknown>(null);
  const { state, start, stop, reset } = useChatRun(orgId);
  const running = state.status === 'running';

  const send = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!current || !input.trim() || running) return;
    let params;
    try {
      params = paramsOf(settings);
    } catch (err) {
      setFormError(new Error(t('playground.toolsInvalid', { message: (err as Error).message })));
      return;
    }
    setFormError(null);
    const next: ChatMessage[] = [...history, { role: 'user', content: input }];
    setHistory(next);
    setInput('');
    const run = await start(current.id, withSystem(settings, next), params);
    if (run) setHistory([...next, { role: 'assistant', content: run.text || JSON.stringify(run.toolCalls) }]);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void send();
  };

  return (
    <section className="card stack" aria-labelledby="chat-title">
      <div className="card-head">
        <h2 id="chat-title">{t('playground.chat')}</h2>
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            setHistory([]);
            reset();
          }}
        >
          {t('playground.clear')}
        </button>
      </div>
      {models.length === 0 ? <p className="empty">{t('playground.noModels')}</p> : <ModelSelect models={models} value={current?.id ?? ''} onChange={setModel} label={t('playground.model')} />}
      <ol className="transcript" aria-live="polite" data-testid="transcript">
        {history.map((m, i) => (
          <li key={i} className={`msg ${m.role}`}>
            <span className="msg-role">{t(m.role === 'user' ? 'playground.you' : 'playground.assistant')}</span>
            <div className="msg-text">{m.content}</div>
          </li>
        ))}
        {running ? (
          <li className="msg assistant streaming">
            <span className="msg-role">{t('playground.assistant')}</span>
            <div className="msg-text">{state.text}</div>
          </li>
        ) : null}
      </ol>
      {state.run ? <RunStats run={state.run} price={current?.pricing} /> : null}
      <ErrorBanner error={formError ?? state.error} />
      <form className="stack" onSubmit={(e) => void send(e)}>
        <Field label={t('playground.message')} hint={t('playground.sendHint')}>
          <textarea rows={3} value={input} onChange={(e) => setInput(e.target.value)} onKeyDown={onKeyDown} />
        </Field>
        <div className="row">
          <button type="submit" disabled={running || !input.trim() || !current}>
            {t('playground.send')}
          </button>
          {running ? (
            <button type="button" className="secondary" onClick={stop}>
              {t('playground.stop')}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
