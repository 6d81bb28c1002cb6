import { useState } from 'react';
import { deleteKb, listKbs, type KnowledgeBase } from '../../api/knowledge';
import { listModels } from '../../api/platform';
import { listOrgs } from '../../api/tenancy';
import { useSignedIn } from '../../auth/session';
import { ConfirmButton } from '../../components/confirm-button';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import { OrgSelect } from '../../components/org-select';
import { Section } from '../../components/section';
import { useAction, useResource } from '../../components/use-resource';
import { fmtDateTime, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { Link, useRoute } from '../../router';
import { isoOf, kbHref, lastOrg, rememberOrg, rightsIn } from './access';
import { CreateKbForm } from './create-kb-form';

/** One org's knowledge bases: the list, a new one (writers), delete (writers, confirmed). */
export function KbList() {
  const { t } = useI18n();
  const { api, session, isOperator } = useSignedIn();
  const { navigate } = useRoute();
  const operatorOrgs = useResource(() => (isOperator ? listOrgs(api) : Promise.resolve([])), [api, isOperator]);
  const orgs = isOperator ? (operatorOrgs.data ?? []).map((o) => ({ id: o.id, name: o.name })) : session.kind === 'user' ? session.orgs.map((o) => ({ id: o.org_id, name: o.org_name })) : [];
  const [chosen, setChosen] = useState(lastOrg);
  const org = orgs.find((o) => o.id === chosen) ?? orgs[0];
  const orgId = org?.id ?? '';
  const kbs = useResource(() => (orgId ? listKbs(api, orgId) : Promise.resolve([])), [api, orgId]);
  const models = useResource(() => listModels(api), [api]);
  const rights = rightsIn(session, orgId);
  const remove = useAction(async (kb: KnowledgeBase) => {
    await deleteKb(api, kb);
    kbs.reload();
  });
  const choose = (id: string) => {
    rememberOrg(id);
    setChosen(id);
  };

  return (
    <section className="page" aria-labelledby="kb-title">
      <div className="page-head">
        <h1 id="kb-title">{t('nav.knowledge')}</h1>
        <div className="row filters">
          <OrgSelect orgs={orgs} value={orgId} onChange={choose} />
        </div>
      </div>
      <ErrorBanner error={operatorOrgs.error ?? kbs.error ?? models.error ?? remove.error} />
      {org && !rights.canWrite ? <p className="banner info">{t('kb.readOnly')}</p> : null}
      {org ? <KbTable title={t('kb.list', { org: org.name })} kbs={kbs.data} canWrite={rights.canWrite} onDelete={(kb) => void remove.run(kb)} busy={remove.busy} /> : null}
      {org && rights.canWrite ? <CreateKbForm orgId={org.id} asOperator={isOperator} models={models.data ?? []} onCreated={(kb) => navigate(kbHref(kb.id))} /> : null}
    </section>
  );
}

function KbTable({ title, kbs, canWrite, onDelete, busy }: { title: string; kbs: KnowledgeBase[] | undefined; canWrite: boolean; onDelete: (kb: KnowledgeBase) => void; busy: boolean }) {
  const { t, lang } = useI18n();
  const columns: Column<KnowledgeBase>[] = [
    {
      key: 'name',
      header: t('kb.name'),
      rowHeader: true,
      cell: (kb) => (
        <>
          <Link to={kbHref(kb.id)}>{kb.name}</Link>
          {kb.description ? <div className="hint clip" title={kb.description}>{kb.description}</div> : null}
        </>
      ),
    },
    { key: 'embedding', header: t('kb.embeddingModel'), cell: (kb) => <code>{kb.embedding_model}</code> },
    { key: 'rerank', header: t('kb.rerankModel'), cell: (kb) => (kb.rerank_model ? <code>{kb.rerank_model}</code> : '—') },
    { key: 'documents', header: t('kb.documents'), numeric: true, cell: (kb) => fmtNumber(lang, kb.document_count) },
    { key: 'chunks', header: t('kb.chunks'), numeric: true, cell: (kb) => fmtNumber(lang, kb.chunk_count) },
    { key: 'created', header: t('common.created'), cell: (kb) => fmtDateTime(lang, isoOf(kb.created_at)) },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      header: t('common.actions'),
      cell: (kb) => <ConfirmButton label={t('kb.deleteKb')} confirmLabel={t('kb.confirmDeleteKb')} accessibleName={t('kb.deleteKbOne', { name: kb.name })} onConfirm={() => onDelete(kb)} disabled={busy} />,
    });
  }
  return (
    <Section title={title} id="kb-list-title">
      <DataTable columns={columns} rows={kbs} rowKey={(kb) => kb.id} rowAttributes={(kb) => ({ 'data-kb-id': kb.id })} labelledBy="kb-list-title" testId="kb-table" empty={t('kb.none')} />
    </Section>
  );
}
