import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatMessage } from '../../api/chat-stream';
import { streamKbChat, type ChatCitation, type KnowledgeBase } from '../../api/knowledge';
import type { PublishedModel } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { Section } from '../../components/section';
import { useI18n } from '../../i18n/i18n';
import { AnswerText, SourcesList } from './citation';
import { ModelSelect } from '../playground/model-select';

interface Turn {
  question: string;
  text: string;
  citations: ChatCitation[];
  done: boolean;
}

/**
 * A conversation grounded in the KB (`POST /v1/knowledge_bases/{id}/chat`, streamed): each answer
 * shows its numbered sources, and the `[n]` markers in it link to them.
 */
export function KbChatSection({ kb, models, canCall }: { kb: KnowledgeBase; models: readonly PublishedModel[]; canCall: boolean }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [model, setModel] = useState('');
  const current = models.find((m) => m.id === model) ?? models[0];
  const [turns, setTurns] = useState<Turn[]>([]);
  const [input, setInput] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const controller = useRef<AbortController | null>(null);
  // Leaving the page cancels a stream still running.
  useEffect(() => () => controller.current?.abort(), []);

  const ask = async (e?: FormEvent) => {
    e?.preventDefault();
    const question = input.trim();
    if (!current || !question || running) return;
    const history: ChatMessage[] = turns.flatMap((turn) => [
      { role: 'user' as const, content: turn.question },
      ...(turn.text ? [{ role: 'assistant' as const, content: turn.text }] : []),
    ]);
    const at = turns.length;
    const update = (patch: Partial<Turn>) => setTurns((all) => all.map((turn, i) => (i === at ? { ...turn, ...patch } : turn)));
    setTurns([...turns, { question, text: '', citations: [], done: false }]);
    setInput('');
    setError(null);
    setRunning(true);
    const abort = new AbortController();
    controller.current = abort;
    try {
      await streamKbChat({ api, kb, model: current.id, messages: [...history, { role: 'user', content: question }], signal: abort.signal, onUpdate: update });
    } catch (err) {
      if (!abort.signal.aborted) setError(err);
    } finally {
      update({ done: true });
      setRunning(false);
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void ask();
  };

  return (
    <Section
      title={t('kb.chatTitle')}
      id="kb-chat-title"
      actions={
        canCall && turns.length > 0 ? (
          <button
            type="button"
            className="secondary small"
            disabled={running}
            onClick={() => {
              setTurns([]);
              setError(null);
            }}
          >
            {t('kb.newChat')}
          </button>
        ) : undefined
      }
    >
      {!canCall ? (
        <p className="hint">{t('kb.viewerNoCalls')}</p>
      ) : (
        <div className="stack">
          {models.length === 0 ? (
            <p className="empty">{t('kb.noChatModels')}</p>
          ) : (
            <ModelSelect models={models} value={current?.id ?? ''} onChange={setModel} label={t('kb.chatModel')} />
          )}
          {turns.length > 0 ? (
            <ol className="transcript kb-transcript" aria-live="polite" data-testid="kb-transcript">
              {turns.map((turn, i) => (
                <TurnView key={i} turn={turn} idPrefix={`kb-turn-${i + 1}-source`} />
              ))}
            </ol>
          ) : null}
          <ErrorBanner error={error} />
          <form className="stack" onSubmit={(e) => void ask(e)}>
            <Field label={t('kb.question')} hint={t('playground.sendHint')}>
              <textarea rows={3} value={input} onChange={(e) => setInput(e.target.value)} onKeyDown={onKeyDown} />
            </Field>
            <div className="row">
              <button type="submit" disabled={running || !input.trim() || !current}>
                {t('kb.ask')}
              </button>
              {running ? (
                <button type="button" className="secondary" onClick={() => controller.current?.abort()}>
                  {t('kb.stop')}
                </button>
              ) : null}
            </div>
          </form>
        </div>
      )}
    </Section>
  );
}

function TurnView({ turn, idPrefix }: { turn: Turn; idPrefix: string }) {
  const { t } = useI18n();
  return (
    <>
      <li className="msg user">
        <span className="msg-role">{t('playground.you')}</span>
        <div className="msg-text">{turn.question}</div>
      </li>
      <li className={`msg assistant${turn.done ? '' : ' streaming'}`} data-status={turn.done ? 'done' : 'running'}>
        <span className="msg-role">{t('playground.assistant')}</span>
        {turn.text ? <AnswerText text={turn.text} citations={turn.citations} idPrefix={idPrefix} /> : !turn.done ? <div className="msg-text hint">{t('playground.waiting')}</div> : null}
        {turn.citations.length > 0 ? <SourcesList citations={turn.citations} idPrefix={idPrefix} /> : turn.done && turn.text ? <p className="hint">{t('kb.noSources')}</p> : null}
      </li>
    </>
  );
}
