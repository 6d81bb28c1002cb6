/** Budget alerts: stored once per crossing, listed per viewer, delivered to an org's webhook. */
export { alertsMigrations, type AlertTables, type BudgetAlertsTable } from './tables.js';
export { createAlertStore, type AlertStore, type AlertInput, type AlertFilter, type AlertPage, type BudgetAlertView } from './alert-store.js';
export { createBudgetAlerts, type BudgetAlerts, type BudgetAlertsDeps } from './budget-alerts.js';
export { registerAlertRoutes, DEFAULT_ALERT_LIMIT, MAX_ALERT_LIMIT } from './routes.js';
export { ALERT_ROUTE_DOCS, alertPageSchema, budgetAlertSchema } from './route-docs.js';
export { ALERT_WEBHOOK_JOB, createAlertWebhookHandler, webhookBody, type AlertWebhookDeps, type PostJson } from './webhook.js';
export { createWebhookPoster, WEBHOOK_TIMEOUT_MS } from './webhook-post.js';
