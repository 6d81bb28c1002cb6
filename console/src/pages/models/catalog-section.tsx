import { useState, type FormEvent } from 'react';
import { deleteCredential, getCatalog, setCredential } from '../../api/platform';
import type { CatalogVendor } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ConfirmButton } from '../../components/confirm-button';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { Section } from '../../components/section';
import { useAction, useResource } from '../../components/use-resource';
import { fmtCost, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** Built-in vendors: paste a vendor's API key to publish its catalog models; remove it to unpublish. */
export function CatalogSection({ onChanged }: { onChanged: () => void }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const catalog = useResource(() => getCatalog(api), [api]);
  const [filter, setFilter] = useState('');
  const vendors = (catalog.data ?? []).filter((v) => `${v.vendor} ${v.label}`.toLowerCase().includes(filter.trim().toLowerCase()));
  const changed = () => {
    catalog.reload();
    onChanged();
  };
  return (
    <Section title={t('catalog.title')} id="catalog-title" actions={<Field label={t('catalog.filter')}><input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} /></Field>}>
      <p className="hint">{t('catalog.intro')}</p>
      <ErrorBanner error={catalog.error} />
      <ul className="vendor-grid">
        {vendors.map((vendor) => (
          <VendorCard key={vendor.vendor} vendor={vendor} onChanged={changed} />
        ))}
      </ul>
    </Section>
  );
}

function VendorCard({ vendor, onChanged }: { vendor: CatalogVendor; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { api } = useSignedIn();
  const [key, setKey] = useState('');
  const enable = useAction(async () => {
    await setCredential(api, vendor.vendor, key.trim());
    setKey('');
    onChanged();
  });
  const disable = useAction(async () => {
    await deleteCredential(api, vendor.vendor);
    onChanged();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim()) void enable.run();
  };
  const titleId = `vendor-${vendor.vendor}`;
  return (
    <li className="vendor card" aria-labelledby={titleId} data-testid={titleId}>
      <div className="card-head">
        <h3 id={titleId}>{vendor.label}</h3>
        <span className={vendor.enabled ? 'badge ok' : 'badge'}>{vendor.enabled ? t('catalog.enabled') : t('catalog.disabled')}</span>
      </div>
      <p className="hint">
        {t('catalog.kind')} <code>{vendor.kind}</code>
        {vendor.env_key ? (
          <>
            {' · '}
            {t('catalog.envKey')} <code>{vendor.env_key}</code>
          </>
        ) : null}
      </p>
      <details>
        <summary>{t('catalog.models', { count: fmtNumber(lang, vendor.models.length) })}</summary>
        <ul className="plain">
          {vendor.models.map((m) => (
            <li key={m.name}>
              <code>{m.name}</code> <span className="hint">{m.capabilities.join(', ')}</span>
              {m.price ? (
                <span className="hint">
                  {' · '}
                  {t('catalog.price', { input: fmtCost(lang, m.price.input, m.price.currency), output: fmtCost(lang, m.price.output, m.price.currency) })}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      </details>
      {vendor.enabled && !vendor.key_stored ? <p className="hint">{t('catalog.enabledElsewhere')}</p> : null}
      {vendor.key_stored ? (
        <ConfirmButton label={t('catalog.disable')} confirmLabel={t('catalog.confirmDisable')} accessibleName={t('catalog.disableVendor', { vendor: vendor.label })} onConfirm={() => void disable.run()} disabled={disable.busy} />
      ) : (
        <form className="row" onSubmit={submit}>
          <Field label={t('catalog.apiKey', { vendor: vendor.label })} className="grow">
            <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} />
          </Field>
          <button type="submit" disabled={enable.busy || !key.trim()}>
            {t('catalog.enable')}
          </button>
        </form>
      )}
      <ErrorBanner error={enable.error ?? disable.error} />
    </li>
  );
}
