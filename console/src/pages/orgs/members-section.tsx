import { useState, type FormEvent } from 'react';
import { addMember, listMembers, removeMember, setMemberRole } from '../../api/tenancy';
import { ROLES, type Role } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { ConfirmButton } from '../../components/confirm-button';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { Section } from '../../components/section';
import { useAction, useResource } from '../../components/use-resource';
import { useI18n } from '../../i18n/i18n';

export function MembersSection({ orgId }: { orgId: string }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const members = useResource(() => listMembers(api, orgId), [api, orgId]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const add = useAction(async () => {
    await addMember(api, orgId, email.trim(), role);
    setEmail('');
    members.reload();
  });
  const change = useAction(async (userId: string, next: Role) => {
    await setMemberRole(api, orgId, userId, next);
    members.reload();
  });
  const remove = useAction(async (userId: string) => {
    await removeMember(api, orgId, userId);
    members.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void add.run();
  };
  return (
    <Section title={t('members.title')} id="members-title">
      <ErrorBanner error={members.error ?? change.error ?? remove.error} />
      {members.data?.length === 0 ? <p className="empty">{t('members.none')}</p> : null}
      <ul className="plain members">
        {(members.data ?? []).map((m) => (
          <li key={m.user_id} className="row">
            <span className="grow">
              <strong>{m.name}</strong> <span className="hint">{m.email}</span>
            </span>
            <select aria-label={t('members.roleOf', { name: m.email })} value={m.role} onChange={(e) => void change.run(m.user_id, e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
            <ConfirmButton label={t('members.remove')} confirmLabel={t('members.confirmRemove')} accessibleName={t('members.removeOne', { name: m.email })} onConfirm={() => void remove.run(m.user_id)} />
          </li>
        ))}
      </ul>
      <form className="row" onSubmit={submit}>
        <Field label={t('members.email')} className="grow">
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label={t('members.role')}>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" disabled={add.busy}>
          {t('members.add')}
        </button>
      </form>
      <ErrorBanner error={add.error} />
    </Section>
  );
}
