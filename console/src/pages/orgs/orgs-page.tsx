import { useState } from 'react';
import { listOrgs } from '../../api/tenancy';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { OrgSelect } from '../../components/org-select';
import { useResource } from '../../components/use-resource';
import { useI18n } from '../../i18n/i18n';
import { CreateOrgForm } from './create-org-form';
import { MembersSection } from './members-section';
import { OrgLimits } from './org-limits';
import { OrgsTable } from './orgs-table';
import { UsersSection } from './users-section';

/** Orgs (operators see every org; users the ones they belong to), their limits and members; users. */
export function OrgsPage() {
  const { t } = useI18n();
  const { api, isOperator } = useSignedIn();
  const orgs = useResource(() => listOrgs(api), [api]);
  const [selected, setSelected] = useState('');
  const list = orgs.data ?? [];
  const current = list.find((o) => o.id === selected) ?? list[0];

  return (
    <section className="page" aria-labelledby="orgs-title">
      <div className="page-head">
        <h1 id="orgs-title">{t('nav.orgs')}</h1>
      </div>
      <ErrorBanner error={orgs.error} />
      {isOperator ? <CreateOrgForm onCreated={(org) => {
            setSelected(org.id);
            orgs.reload();
          }} /> : null}
      <OrgsTable orgs={list} onSelect={setSelected} />
      {current ? (
        <>
          <div className="row">
            <OrgSelect orgs={list} value={current.id} onChange={setSelected} label={t('orgs.selected')} />
          </div>
          <div className="two-col">
            <OrgLimits key={current.id} org={current} editable={isOperator} onSaved={orgs.reload} />
            <MembersSection orgId={current.id} />
          </div>
        </>
      ) : null}
      {isOperator ? <UsersSection /> : null}
    </section>
  );
}
