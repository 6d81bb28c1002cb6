import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/client';
import { addDocumentUrl, deleteDocument, listDocuments, uploadDocument, type KbDocument, type KnowledgeBase } from '../../api/knowledge';
import { useSignedIn } from '../../auth/session';
import { ConfirmButton } from '../../components/confirm-button';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { Section } from '../../components/section';
import { useAction, useResource } from '../../components/use-resource';
import { fmtBytes, fmtDateTime, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/en';
import { isoOf } from './access';

/** The formats the server parses (docs/knowledge.md); anything else is refused at upload. */
export const ACCEPTED_FILES = '.txt,.md,.html,.pdf,.docx,.csv,.json';
/** How often the table refreshes while a document is queued or being ingested. */
const POLL_MS = 1000;

const STATUS_TONE: Record<KbDocument['status'], string> = { queued: '', processing: 'warn', ready: 'ok', failed: 'bad' };
const isPending = (d: KbDocument) => d.status === 'queued' || d.status === 'processing';

/** A KB's documents with their ingestion status; writers upload files, add URLs and delete. */
export function DocumentsSection({ kb, canWrite, onChanged }: { kb: KnowledgeBase; canWrite: boolean; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { api } = useSignedIn();
  const docs = useResource(() => listDocuments(api, kb), [api, kb.id]);
  const pending = (docs.data ?? []).some(isPending);

  // Poll while anything is in flight; when the last document settles, the KB's counts change too.
  const { reload } = docs;
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [pending, docs.data, docs.error, reload]);
  const wasPending = useRef(false);
  useEffect(() => {
    if (wasPending.current && !pending) onChanged();
    wasPending.current = pending;
  }, [pending]);

  const remove = useAction(async (doc: KbDocument) => {
    await deleteDocument(api, kb, doc.id);
    docs.reload();
    onChanged();
  });

  const columns: Column<KbDocument>[] = [
    {
      key: 'name',
      header: t('kb.name'),
      rowHeader: true,
      cell: (d) => (
        <>
          {d.name}
          {d.source !== 'upload' ? (
            <div className="hint clip mono" title={d.source}>
              {d.source}
            </div>
          ) : null}
        </>
      ),
    },
    { key: 'format', header: t('kb.format'), cell: (d) => d.format ?? '—' },
    { key: 'status', header: t('kb.status'), className: 'doc-status', cell: (d) => <DocumentStatus doc={d} /> },
    { key: 'chunks', header: t('kb.chunks'), numeric: true, cell: (d) => (d.status === 'ready' ? fmtNumber(lang, d.chunk_count) : '—') },
    { key: 'size', header: t('kb.size'), numeric: true, cell: (d) => (d.bytes ? fmtBytes(lang, d.bytes) : '—') },
    { key: 'updated', header: t('kb.updated'), cell: (d) => fmtDateTime(lang, isoOf(d.updated_at)) },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      header: t('common.actions'),
      cell: (d) => <ConfirmButton label={t('kb.deleteDoc')} confirmLabel={t('kb.confirmDeleteDoc')} accessibleName={t('kb.deleteDocOne', { name: d.name })} onConfirm={() => void remove.run(d)} disabled={remove.busy} />,
    });
  }

  return (
    <Section title={t('kb.docsTitle')} id="kb-docs-title">
      {canWrite ? <AddDocuments kb={kb} onAdded={docs.reload} /> : null}
      <ErrorBanner error={docs.error ?? remove.error} />
      <p className="hint" aria-live="polite">
        {pending ? t('kb.polling') : ''}
      </p>
      <DataTable
        columns={columns}
        rows={docs.data}
        rowKey={(d) => d.id}
        rowAttributes={(d) => ({ 'data-doc-name': d.name, 'data-status': d.status })}
        labelledBy="kb-docs-title"
        testId="kb-documents"
        empty={t('kb.docsNone')}
      />
    </Section>
  );
}

function DocumentStatus({ doc }: { doc: KbDocument }) {
  const { t, lang } = useI18n();
  const { stage, done, total } = doc.progress;
  return (
    <>
      <span className={`badge ${STATUS_TONE[doc.status]}`}>{t(`kb.status.${doc.status}` as MessageKey)}</span>
      {isPending(doc) ? (
        <div className="progress-line">
          {/* Indeterminate until the document is split and its chunk count known. */}
          <progress aria-label={t('kb.progressOf', { name: doc.name })} max={total > 0 ? total : undefined} value={total > 0 ? done : undefined} />
          <span className="hint">
            {t(`kb.stage.${stage}` as MessageKey)}
            {total > 0 ? ` · ${fmtNumber(lang, done)} / ${fmtNumber(lang, total)}` : ''}
          </span>
        </div>
      ) : null}
      {doc.status === 'failed' && doc.error ? (
        <div className="doc-error" data-testid="doc-error">
          <code>{doc.error.code}</code> {doc.error.message}
        </div>
      ) : null}
    </>
  );
}

/** Upload several files (one request each, multipart field `file`) or add a document by URL. */
function AddDocuments({ kb, onAdded }: { kb: KnowledgeBase; onAdded: () => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const fileInput = useRef<HTMLInputElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [url, setUrl] = useState('');
  const [notice, setNotice] = useState('');

  const upload = useAction(async () => {
    setNotice('');
    const failures: string[] = [];
    let sent = 0;
    for (const file of files) {
      try {
        await uploadDocument(api, kb, file);
        sent++;
      } catch (err) {
        failures.push(t('kb.uploadFailed', { name: file.name, message: err instanceof ApiError ? err.message : String(err) }));
      }
      onAdded();
    }
    setFiles([]);
    if (fileInput.current) fileInput.current.value = '';
    if (sent > 0) setNotice(t('kb.uploaded', { n: sent }));
    if (failures.length > 0) throw new Error(failures.join(' · '));
  });
  const add = useAction(async () => {
    setNotice('');
    await addDocumentUrl(api, kb, url.trim());
    setUrl('');
    onAdded();
  });

  const submitFiles = (e: FormEvent) => {
    e.preventDefault();
    if (files.length > 0) void upload.run();
  };
  const submitUrl = (e: FormEvent) => {
    e.preventDefault();
    if (url.trim()) void add.run();
  };

  return (
    <div className="add-docs">
      <form className="row" onSubmit={submitFiles}>
        <Field label={t('kb.files')} hint={t('kb.filesHint')} className="grow">
          <input ref={fileInput} type="file" multiple accept={ACCEPTED_FILES} onChange={(e) => setFiles([...(e.target.files ?? [])])} />
        </Field>
        <button type="submit" disabled={upload.busy || files.length === 0}>
          {upload.busy ? t('kb.uploading') : t('kb.upload')}
        </button>
      </form>
      <form className="row" onSubmit={submitUrl}>
        <Field label={t('kb.url')} className="grow">
          <input type="url" required inputMode="url" value={url} onChange={(e) => setUrl(e.target.value)} />
        </Field>
        <button type="submit" disabled={add.busy || !url.trim()}>
          {t('kb.addUrl')}
        </button>
      </form>
      <p className="hint" aria-live="polite" data-testid="upload-notice">
        {notice}
      </p>
      <ErrorBanner error={upload.error ?? add.error} />
    </div>
  );
}
