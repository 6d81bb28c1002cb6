import type { Session } from '../../auth/session';

/**
 * What the signed-in person may do with an org's knowledge bases, mirroring the server
 * (src/knowledge/routes.ts, src/server/call-guard.ts): owners, admins and members change them
 * and call models (search, chat); viewers only read. The operator may do everything.
 */
export const KNOWLEDGE_PATH = '/knowledge';
export const kbHref = (id: string) => `${KNOWLEDGE_PATH}/${encodeURIComponent(id)}`;

const WRITERS = new Set(['owner', 'admin', 'member']);

export interface KbRights {
  canWrite: boolean;
  /** Search and chat call models on the org's account; viewers may not spend. */
  canCall: boolean;
}

export function rightsIn(session: Session, orgId: string): KbRights {
  if (session.kind === 'operator') return { canWrite: true, canCall: true };
  const role = session.orgs.find((o) => o.org_id === orgId)?.role;
  const writer = role !== undefined && WRITERS.has(role);
  return { canWrite: writer, canCall: writer };
}

/** The org last chosen on the list, kept while the console is open (list → KB → back). */
let rememberedOrg = '';
export const rememberOrg = (id: string) => {
  rememberedOrg = id;
};
export const lastOrg = () => rememberedOrg;

/** Unix seconds (the KB API's timestamps) as the ISO text fmtDateTime takes. */
export const isoOf = (seconds: number) => new Date(seconds * 1000).toISOString();
