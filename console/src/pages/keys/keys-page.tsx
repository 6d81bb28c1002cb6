import { useState } from 'react';
import { rotateKey, revokeKey, listKeys, listOrgs } from '../../api/tenancy';
import type { CreatedKey } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { OrgSelect } from '../../components/org-select';
import { SecretOnce } from '../../components/secret-once';
import { useAction, useResource } from '../../components/use-resource';
import { useI18n } from '../../i18n/i18n';
import { CreateKeyForm } from './create-key-form';
import { KeysTable } from './keys-table';

/** An org's API keys: create with limits (plaintext shown once), revoke, rotate. */
export function KeysPage() {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const orgs = useResource(() => listOrgs(api), [api]);
  const [orgId, setOrgId] = useState('');
  const current = orgId || orgs.data?.[0]?.id || '';
  const keys = useResource(() => (current ? listKeys(api, current) : Promise.resolve([])), [api, current]);
  const [secret, setSecret] = useState<CreatedKey | null>(null);

  const revoke = useAction(async (id: string) => {
    await revokeKey(api, id);
    keys.reload();
  });
  const rotate = useAction(async (id: string) => {
    setSecret(await rotateKey(api, id));
    keys.reload();
  });

  return (
    <section className="page" aria-labelledby="keys-title">
      <div className="page-head">
        <h1 id="keys-title">{t('nav.keys')}</h1>
        <div className="row filters">
          <OrgSelect orgs={orgs.data ?? []} value={current} onChange={setOrgId} />
        </div>
      </div>
      <ErrorBanner error={orgs.error ?? keys.error ?? revoke.error ?? rotate.error} />
      {secret ? <SecretOnce secret={secret.key} onDismiss={() => setSecret(null)} /> : null}
      {current ? (
        <CreateKeyForm
          orgId={current}
          onCreated={(created) => {
            setSecret(created);
            keys.reload();
          }}
        />
      ) : null}
      <KeysTable keys={keys.data ?? []} onRevoke={(id) => void revoke.run(id)} onRotate={(id) => void rotate.run(id)} />
    </section>
  );
}
