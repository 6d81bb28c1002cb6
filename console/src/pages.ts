import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { MessageKey } from './i18n/en';

/** The console's pages. Each is its own chunk, fetched the first time it is shown. */

export interface PageDef {
  path: string;
  label: MessageKey;
  component: LazyExoticComponent<ComponentType>;
  /** The page also answers the paths below its own (`/knowledge/kb_…`), reading the rest itself. */
  nested?: boolean;
}

export const PAGES: readonly PageDef[] = [
  { path: '/', label: 'nav.overview', component: lazy(() => import('./pages/overview/overview-page').then((m) => ({ default: m.OverviewPage }))) },
  { path: '/models', label: 'nav.models', component: lazy(() => import('./pages/models/models-page').then((m) => ({ default: m.ModelsPage }))) },
  { path: '/orgs', label: 'nav.orgs', component: lazy(() => import('./pages/orgs/orgs-page').then((m) => ({ default: m.OrgsPage }))) },
  { path: '/keys', label: 'nav.keys', component: lazy(() => import('./pages/keys/keys-page').then((m) => ({ default: m.KeysPage }))) },
  { path: '/usage', label: 'nav.usage', component: lazy(() => import('./pages/usage/usage-page').then((m) => ({ default: m.UsagePage }))) },
  { path: '/logs', label: 'nav.logs', component: lazy(() => import('./pages/logs/logs-page').then((m) => ({ default: m.LogsPage }))) },
  { path: '/knowledge', label: 'nav.knowledge', nested: true, component: lazy(() => import('./pages/knowledge/knowledge-page').then((m) => ({ default: m.KnowledgePage }))) },
  { path: '/playground', label: 'nav.playground', component: lazy(() => import('./pages/playground/playground-page').then((m) => ({ default: m.PlaygroundPage }))) },
];

/** Whether `path` is this page or, for a nested page, one of the paths below it. */
export const pageMatches = (page: PageDef, path: string): boolean => page.path === path || (page.nested === true && path.startsWith(`${page.path}/`));
