import { useState, type FormEvent } from 'react';
import { searchKb, SEARCH_MODES, type Hit, type KnowledgeBase, type SearchMode } from '../../api/knowledge';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { Section } from '../../components/section';
import { useAction } from '../../components/use-resource';
import { fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { CitationLine } from './citation';

const SCORE_KINDS = ['keyword', 'vector', 'rerank'] as const;
/** Blank lines between a chunk's headings and paragraphs, folded for a compact list. */
const compact = (text: string) => text.trim().replace(/\n\s*\n+/g, '\n');

/** Try retrieval: hybrid, vector or keyword, top k, rerank when the KB has a rerank model. */
export function SearchSection({ kb, canCall }: { kb: KnowledgeBase; canCall: boolean }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<SearchMode>('hybrid');
  const [topK, setTopK] = useState('5');
  const [rerank, setRerank] = useState(true);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const search = useAction(async () => {
    const k = Math.min(50, Math.max(1, Math.round(Number(topK)) || 5));
    setHits(await searchKb(api, kb, { query: query.trim(), mode, top_k: k, ...(kb.rerank_model ? { rerank } : {}) }));
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (query.trim()) void search.run();
  };

  return (
    <Section title={t('kb.searchTitle')} id="kb-search-title">
      {!canCall ? (
        <p className="hint">{t('kb.viewerNoCalls')}</p>
      ) : (
        <>
          <form className="stack" onSubmit={submit} role="search" aria-labelledby="kb-search-title">
            <Field label={t('kb.query')}>
              <input type="search" required value={query} onChange={(e) => setQuery(e.target.value)} />
            </Field>
            <div className="row">
              <Field label={t('kb.mode')}>
                <select value={mode} onChange={(e) => setMode(e.target.value as SearchMode)}>
                  {SEARCH_MODES.map((m) => (
                    <option key={m} value={m}>
                      {t(`kb.mode.${m}`)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label={t('kb.topK')}>
                <input type="number" min="1" max="50" step="1" inputMode="numeric" value={topK} onChange={(e) => setTopK(e.target.value)} />
              </Field>
              {kb.rerank_model ? (
                <label className="check">
                  <input type="checkbox" checked={rerank} onChange={(e) => setRerank(e.target.checked)} />
                  {t('kb.rerank', { model: kb.rerank_model })}
                </label>
              ) : null}
              <button type="submit" disabled={search.busy || !query.trim()}>
                {search.busy ? t('kb.searching') : t('kb.searchButton')}
              </button>
            </div>
          </form>
          <ErrorBanner error={search.error} />
          {hits ? <Hits hits={hits} /> : null}
        </>
      )}
    </Section>
  );
}

function Hits({ hits }: { hits: readonly Hit[] }) {
  const { t, lang } = useI18n();
  if (hits.length === 0) return <p className="empty">{t('kb.noHits')}</p>;
  return (
    <ol className="hits" aria-label={t('kb.hits')} data-testid="kb-hits" aria-live="polite">
      {hits.map((hit, i) => (
        <li key={hit.chunk_id} className="hit" aria-label={t('kb.hitN', { n: i + 1, name: hit.document_name })} data-document={hit.document_name}>
          <div className="hit-head">
            <span className="hit-rank" aria-hidden="true">
              {i + 1}
            </span>
            <span className="chip score">
              {t('kb.score')} {fmtNumber(lang, hit.score, 4)}
            </span>
            {SCORE_KINDS.filter((k) => hit.scores[k] !== undefined).map((k) => (
              <span key={k} className="chip" data-score={k}>
                {t(`kb.score.${k}`)} {fmtNumber(lang, hit.scores[k], 3)}
              </span>
            ))}
          </div>
          <p className="hit-text">{compact(hit.text)}</p>
          <CitationLine citation={hit.citation} />
        </li>
      ))}
    </ol>
  );
}
