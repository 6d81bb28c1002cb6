import { useState, type FormEvent } from 'react';
import { createKb, type KnowledgeBase } from '../../api/knowledge';
import type { PublishedModel } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { optionalNumber } from '../../components/number-input';
import { Section } from '../../components/section';
import { useAction } from '../../components/use-resource';
import { useI18n } from '../../i18n/i18n';

const EMPTY = { name: '', description: '', embedding: '', rerank: '', maxTokens: '', overlap: '' };

/** A new KB: its embedding model (fixed for its life) among the published embeddings models. */
export function CreateKbForm({ orgId, asOperator, models, onCreated }: { orgId: string; asOperator: boolean; models: readonly PublishedModel[]; onCreated: (kb: KnowledgeBase) => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [form, setForm] = useState(EMPTY);
  const set = (field: keyof typeof EMPTY) => (e: { target: { value: string } }) => setForm({ ...form, [field]: e.target.value });
  const embedders = models.filter((m) => m.capabilities.includes('embeddings'));
  const rerankers = models.filter((m) => m.capabilities.includes('rerank'));
  const embedding = embedders.some((m) => m.id === form.embedding) ? form.embedding : (embedders[0]?.id ?? '');

  const create = useAction(async () => {
    const maxTokens = optionalNumber(form.maxTokens);
    const overlap = optionalNumber(form.overlap);
    const kb = await createKb(api, orgId, asOperator, {
      name: form.name.trim(),
      ...(form.description.trim() ? { description: form.description.trim() } : {}),
      embedding_model: embedding,
      ...(form.rerank ? { rerank_model: form.rerank } : {}),
      ...(maxTokens !== undefined || overlap !== undefined ? { chunking: { max_tokens: maxTokens, overlap_tokens: overlap } } : {}),
    });
    setForm(EMPTY);
    onCreated(kb);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (embedding) void create.run();
  };

  return (
    <Section title={t('kb.create')} id="create-kb-title">
      {embedders.length === 0 ? <p className="hint">{t('kb.noEmbeddingModels')}</p> : null}
      <form className="stack" onSubmit={submit}>
        <div className="row">
          <Field label={t('kb.name')} className="grow">
            <input required maxLength={100} value={form.name} onChange={set('name')} />
          </Field>
          <Field label={t('kb.embeddingModel')}>
            <select required value={embedding} onChange={set('embedding')}>
              {embedders.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('kb.rerankModel')}>
            <select value={form.rerank} onChange={set('rerank')}>
              <option value="">{t('kb.noRerank')}</option>
              {rerankers.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field label={t('kb.description')}>
          <textarea rows={2} maxLength={2000} value={form.description} onChange={set('description')} />
        </Field>
        <div className="row">
          <Field label={t('kb.maxTokens')} hint={t('kb.maxTokensHint')}>
            <input type="number" min="50" max="8000" step="1" inputMode="numeric" value={form.maxTokens} onChange={set('maxTokens')} />
          </Field>
          <Field label={t('kb.overlap')} hint={t('kb.overlapHint')}>
            <input type="number" min="0" max="2000" step="1" inputMode="numeric" value={form.overlap} onChange={set('overlap')} />
          </Field>
        </div>
        <div className="row">
          <button type="submit" disabled={create.busy || !embedding}>
            {t('kb.createButton')}
          </button>
        </div>
      </form>
      <ErrorBanner error={create.error} />
    </Section>
  );
}
