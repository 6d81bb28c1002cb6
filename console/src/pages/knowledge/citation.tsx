import { Fragment } from 'react';
import type { ChatCitation, Citation } from '../../api/knowledge';
import { fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** Where a passage comes from: document (a link when it came from a URL), page, heading path, offsets. */
export function CitationLine({ citation }: { citation: Citation }) {
  const { t, lang } = useI18n();
  const isUrl = /^https?:\/\//.test(citation.source);
  const parts = [
    citation.page !== null ? t('kb.citePage', { page: fmtNumber(lang, citation.page) }) : null,
    citation.heading_path.length > 0 ? citation.heading_path.join(' › ') : null,
    t('kb.citeOffsets', { start: fmtNumber(lang, citation.start), end: fmtNumber(lang, citation.end) }),
  ].filter((p): p is string => p !== null);
  return (
    <p className="citation" data-testid="citation">
      <span className="visually-hidden">{t('kb.citation')} </span>
      {isUrl ? (
        <a href={citation.source} target="_blank" rel="noreferrer noopener">
          {citation.document_name}
        </a>
      ) : (
        <strong>{citation.document_name}</strong>
      )}
      {parts.map((p, i) => (
        <Fragment key={i}>
          <span aria-hidden="true"> · </span>
          <span>{p}</span>
        </Fragment>
      ))}
    </p>
  );
}

/** The `[n]` markers an answer uses, split out so each can be drawn as a link to its source. */
export function splitMarkers(text: string, known: ReadonlySet<number>): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of text.split(/(\[\d+\])/)) {
    const n = /^\[(\d+)\]$/.exec(part);
    if (n && known.has(Number(n[1]))) out.push(Number(n[1]));
    else if (part) out.push(part);
  }
  return out;
}

/** An answer whose `[n]` markers are superscript chips linking to source n in the list below it. */
export function AnswerText({ text, citations, idPrefix }: { text: string; citations: readonly ChatCitation[]; idPrefix: string }) {
  const { t } = useI18n();
  const known = new Set(citations.map((c) => c.index));
  return (
    <div className="msg-text" data-testid="kb-answer">
      {splitMarkers(text, known).map((part, i) =>
        typeof part === 'number' ? (
          <sup key={i} className="cite-ref">
            <a href={`#${idPrefix}-${part}`} className="cite-chip" aria-label={t('kb.sourceRef', { n: part })} data-cite={part}>
              {part}
            </a>
          </sup>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </div>
  );
}

/** The numbered sources under an answer; item n is what `[n]` points at. */
export function SourcesList({ citations, idPrefix }: { citations: readonly ChatCitation[]; idPrefix: string }) {
  const { t } = useI18n();
  return (
    <div className="sources">
      <p className="sources-title" id={`${idPrefix}-title`}>
        {t('kb.sources')}
      </p>
      <ol aria-labelledby={`${idPrefix}-title`} data-testid="kb-sources">
        {citations.map((c) => (
          <li key={c.index} id={`${idPrefix}-${c.index}`} value={c.index} tabIndex={-1} data-source={c.index}>
            <CitationLine citation={c.citation} />
            <p className="hint excerpt">{excerpt(c.text)}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}

const excerpt = (text: string, max = 220) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};
