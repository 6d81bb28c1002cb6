import { useState, type FormEvent } from 'react';
import { createUser, listUsers } from '../../api/tenancy';
import type { User } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import { Field } from '../../components/field';
import { Section } from '../../components/section';
import { useAction, useResource } from '../../components/use-resource';
import { fmtDateTime } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** Console users (operator only): create one, then add them to orgs as members. */
export function UsersSection() {
  const { t, lang } = useI18n();
  const { api } = useSignedIn();
  const users = useResource(() => listUsers(api), [api]);
  const [form, setForm] = useState({ email: '', name: '', password: '' });
  const create = useAction(async () => {
    await createUser(api, { email: form.email.trim(), name: form.name.trim(), password: form.password });
    setForm({ email: '', name: '', password: '' });
    users.reload();
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  const columns: Column<User>[] = [
    { key: 'name', header: t('users.name'), rowHeader: true, cell: (u) => u.name },
    { key: 'email', header: t('users.email'), cell: (u) => u.email },
    { key: 'created', header: t('common.created'), cell: (u) => fmtDateTime(lang, u.created_at) },
  ];
  return (
    <Section title={t('users.title')} id="users-title">
      <ErrorBanner error={users.error} />
      <DataTable columns={columns} rows={users.data} rowKey={(u) => u.id} labelledBy="users-title" />
      <form className="row" onSubmit={submit}>
        <Field label={t('users.email')}>
          <input type="email" required autoComplete="off" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />
        </Field>
        <Field label={t('users.name')}>
          <input required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </Field>
        <Field label={t('users.password')} hint={t('users.passwordHint')}>
          <input type="password" required minLength={8} autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />
        </Field>
        <button type="submit" disabled={create.busy}>
          {t('users.create')}
        </button>
      </form>
      <ErrorBanner error={create.error} />
    </Section>
  );
}
