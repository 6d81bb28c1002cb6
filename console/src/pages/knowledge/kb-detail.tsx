import { getKb, type KnowledgeBase } from '../../api/knowledge';
import { listModels } from '../../api/platform';
import type { PublishedModel } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { Loading } from '../../components/loading';
import { useResource } from '../../components/use-resource';
import { fmtDateTime, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../router';
import { isoOf, KNOWLEDGE_PATH, rightsIn } from './access';
import { DocumentsSection } from './documents-section';
import { KbChatSection } from './kb-chat-section';
import { SearchSection } from './search-section';

/** One knowledge base: its settings, documents (upload, URL, progress), search and grounded chat. */
export function KbDetail({ kbId }: { kbId: string }) {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const kb = useResource(() => getKb(api, kbId), [api, kbId]);
  const models = useResource(() => listModels(api), [api]);
  const data = kb.data;
  const rights = data ? rightsIn(session, data.org_id) : { canWrite: false, canCall: false };

  return (
    <section className="page" aria-labelledby="kb-detail-title">
      <div className="page-head">
        <div className="stack tight">
          <Link to={KNOWLEDGE_PATH} className="back-link">
            <span aria-hidden="true">← </span>
            {t('kb.back')}
          </Link>
          <h1 id="kb-detail-title">{data?.name ?? t('nav.knowledge')}</h1>
        </div>
      </div>
      <ErrorBanner error={kb.error ?? models.error} />
      {!data && kb.loading ? <Loading /> : null}
      {data ? (
        <>
          {!rights.canWrite ? <p className="banner info">{t('kb.readOnly')}</p> : null}
          <KbFacts kb={data} />
          <DocumentsSection kb={data} canWrite={rights.canWrite} onChanged={kb.reload} />
          <div className="kb-work">
            <SearchSection kb={data} canCall={rights.canCall} />
            <KbChatSection kb={data} models={chatModelsOf(models.data)} canCall={rights.canCall} />
          </div>
        </>
      ) : null}
    </section>
  );
}

const chatModelsOf = (models: readonly PublishedModel[] | undefined) => (models ?? []).filter((m) => m.capabilities.includes('chat'));

function KbFacts({ kb }: { kb: KnowledgeBase }) {
  const { t, lang } = useI18n();
  const { session } = useSignedIn();
  const orgName = session.kind === 'user' ? session.orgs.find((o) => o.org_id === kb.org_id)?.org_name : undefined;
  return (
    <section className="card" aria-labelledby="kb-facts-title">
      <h2 id="kb-facts-title" className="visually-hidden">
        {t('kb.details', { name: kb.name })}
      </h2>
      {kb.description ? <p className="kb-description">{kb.description}</p> : null}
      <dl className="facts" data-testid="kb-facts">
        <div>
          <dt>{t('kb.org')}</dt>
          <dd>{orgName ?? <code>{kb.org_id}</code>}</dd>
        </div>
        <div>
          <dt>{t('kb.embeddingModel')}</dt>
          <dd>
            <code>{kb.embedding_model}</code>
          </dd>
        </div>
        <div>
          <dt>{t('kb.dimensions')}</dt>
          <dd>{kb.embedding_dimensions === null ? t('kb.dimensionsPending') : fmtNumber(lang, kb.embedding_dimensions)}</dd>
        </div>
        <div>
          <dt>{t('kb.rerankModel')}</dt>
          <dd>{kb.rerank_model ? <code>{kb.rerank_model}</code> : t('kb.noRerank')}</dd>
        </div>
        <div>
          <dt>{t('kb.chunking')}</dt>
          <dd>{t('kb.chunkingValue', { max: fmtNumber(lang, kb.chunking.max_tokens), overlap: fmtNumber(lang, kb.chunking.overlap_tokens) })}</dd>
        </div>
        <div>
          <dt>{t('kb.documents')}</dt>
          <dd data-testid="kb-document-count">{fmtNumber(lang, kb.document_count)}</dd>
        </div>
        <div>
          <dt>{t('kb.chunks')}</dt>
          <dd>{fmtNumber(lang, kb.chunk_count)}</dd>
        </div>
        <div>
          <dt>{t('common.created')}</dt>
          <dd>{fmtDateTime(lang, isoOf(kb.created_at))}</dd>
        </div>
      </dl>
    </section>
  );
}
