import { ALERT_ROUTE_DOCS } from '../alerts/index.js';
import { KNOWLEDGE_ROUTE_DOCS } from '../knowledge/route-docs.js';
import { METERING_ROUTE_DOCS } from '../metering/index.js';
import type { RouteDoc } from '../tenancy/index.js';
import { CATALOG_ROUTE_DOCS } from './routes/catalog.js';
import { OPS_ROUTE_DOCS } from './routes/ops.js';

/**
 * The admin routes of every module but tenancy, for `GET /admin/v1/openapi.json` (tenancy's own
 * routes are its RouteSpecs). Each module owns its list; a test checks that every `/admin/v1`
 * route the server registers is in the document.
 */
export const OTHER_ADMIN_ROUTE_DOCS: readonly RouteDoc[] = [...METERING_ROUTE_DOCS, ...CATALOG_ROUTE_DOCS, ...OPS_ROUTE_DOCS, ...KNOWLEDGE_ROUTE_DOCS, ...ALERT_ROUTE_DOCS];
