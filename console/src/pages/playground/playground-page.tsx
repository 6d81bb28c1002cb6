import { useState } from 'react';
import { listModels } from '../../api/platform';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { OrgSelect } from '../../components/org-select';
import { Tabs } from '../../components/tabs';
import { useResource } from '../../components/use-resource';
import { useI18n } from '../../i18n/i18n';
import { ChatPanel } from './chat-panel';
import { ComparePanel } from './compare-panel';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { SettingsForm } from './settings-form';

type Mode = 'chat' | 'compare';

/**
 * Try models from the browser: a streaming chat with one model, or the same prompt to 2–4 models
 * side by side. A console user calls as one of their orgs, under that org's limits.
 */
export function PlaygroundPage() {
  const { t } = useI18n();
  const { api, session } = useSignedIn();
  const models = useResource(() => listModels(api), [api]);
  const chatModels = (models.data ?? []).filter((m) => m.capabilities.includes('chat'));
  const [mode, setMode] = useState<Mode>('chat');
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const userOrgs = session.kind === 'user' ? session.orgs.map((o) => ({ id: o.org_id, name: o.org_name })) : [];
  const [orgId, setOrgId] = useState(userOrgs[0]?.id ?? '');

  return (
    <section className="page" aria-labelledby="playground-title">
      <div className="page-head">
        <h1 id="playground-title">{t('nav.playground')}</h1>
        <div className="row filters">
          {session.kind === 'user' ? <OrgSelect orgs={userOrgs} value={orgId} onChange={setOrgId} label={t('playground.actAs')} /> : null}
        </div>
      </div>
      <ErrorBanner error={models.error} />
      <Tabs
        label={t('playground.mode')}
        idPrefix="pg-tab"
        controls="pg-panel"
        value={mode}
        onChange={setMode}
        options={[
          { value: 'chat', label: t('playground.chat') },
          { value: 'compare', label: t('playground.compare') },
        ]}
      />
      <div className="playground">
        <SettingsForm value={settings} onChange={setSettings} />
        <div id="pg-panel" role="tabpanel" aria-labelledby={`pg-tab-${mode}`}>
          {mode === 'chat' ? <ChatPanel models={chatModels} settings={settings} orgId={orgId || undefined} /> : <ComparePanel models={chatModels} settings={settings} orgId={orgId || undefined} />}
        </div>
      </div>
    </section>
  );
}
