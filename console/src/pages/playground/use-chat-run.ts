import { useEffect, useRef, useState } from 'react';
import { streamChat, type ChatMessage, type ChatParams, type ChatRun } from '../../api/chat-stream';
import { useSignedIn } from '../../auth/session';

export interface RunState {
  status: 'idle' | 'running' | 'done' | 'error';
  text: string;
  run: ChatRun | null;
  error: unknown;
}

const IDLE: RunState = { status: 'idle', text: '', run: null, error: null };

/** One model's streaming answer: start, stop (abort), and its state as it streams. */
export function useChatRun(orgId: string | undefined) {
  const { api } = useSignedIn();
  const [state, setState] = useState<RunState>(IDLE);
  const controller = useRef<AbortController | null>(null);
  // Leaving the page cancels a stream still running (the server then aborts its upstream call).
  useEffect(() => () => controller.current?.abort(), []);

  const start = async (model: string, messages: ChatMessage[], params: ChatParams): Promise<ChatRun | null> => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setState({ status: 'running', text: '', run: null, error: null });
    try {
      const run = await streamChat({ api, model, messages, params, orgId, signal: abort.signal, onText: (text) => setState((s) => ({ ...s, text })) });
      setState({ status: 'done', text: run.text, run, error: null });
      return run;
    } catch (error) {
      setState((s) => ({ ...s, status: abort.signal.aborted ? 'done' : 'error', error: abort.signal.aborted ? null : error }));
      return null;
    }
  };

  return { state, start, stop: () => controller.current?.abort(), reset: () => setState(IDLE) };
}
