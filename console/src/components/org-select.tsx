import type { Org } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { Field } from './field';

/** Choose an org among those the caller sees; `allowAll` adds "all orgs" (value ''). */
export function OrgSelect({ orgs, value, onChange, allowAll, label }: { orgs: readonly Pick<Org, 'id' | 'name'>[]; value: string; onChange: (id: string) => void; allowAll?: boolean; label?: string }) {
  const { t } = useI18n();
  return (
    <Field label={label ?? t('common.org')}>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {allowAll ? <option value="">{t('common.allOrgs')}</option> : null}
        {!allowAll && orgs.length === 0 ? <option value="">{t('orgs.none')}</option> : null}
        {orgs.map((org) => (
          <option key={org.id} value={org.id}>
            {org.name}
          </option>
        ))}
      </select>
    </Field>
  );
}
