/** The metering module's public API: usage events, pricing, the durable writers, queries, routes, CLI. */
export { meteringMigrations, type MeteringTables, type UsageEventsTable, type RequestLogsTable } from './tables.js';
export { priceOf, tokensOf, roundCost, type TokenCounts, type PriceResult } from './price.js';
export {
  buildUsageEvent,
  usageEventId,
  type UsageEvent,
  type MeteredAttempt,
  type EstimateUsage,
  type BuildUsageEventOptions,
} from './usage-event.js';
export { createJournal, type Journal, type JournalOptions, type JournalStats, type RecoverResult, type FsyncMode, type MeteringLog } from './journal.js';
export { createUsageWriter, type UsageWriter, type UsageWriterOptions } from './usage-writer.js';
export {
  createUsageQueries,
  USAGE_GROUPS,
  type UsageGroup,
  type UsageQueries,
  type UsageReport,
  type UsageReportQuery,
  type UsageRow,
  type UsageMetrics,
  type UsageScope,
} from './usage-queries.js';
export { toCsv, usageReportCsv } from './csv.js';
export { registerUsageRoutes, adminViewer, DEFAULT_RANGE_MS, FROM_PARAM, ORG_PARAM, type UsageRoutesOptions } from './routes.js';
export { parseQuery, parseTimeParam } from './query-params.js';
export { registerRequestLogRoutes, type RequestLogRoutesOptions } from './log-routes.js';
export { scopeFor, type UsageViewer, type AuthorizeViewer } from './viewer.js';
export { redactBody, redactString, serializeBody, isSecretName, REDACTED } from './redact.js';
export {
  createRequestLogWriter,
  requestLogRow,
  type RequestLogEntry,
  type RequestLogBodies,
  type RequestLogWriter,
  type RequestLogWriterOptions,
} from './request-log.js';
export { decodeCursor, encodeCursor, keysetPage, parsePageParams, type LogCursor, type Page } from './paging.js';
export {
  createRequestLogQueries,
  type RequestLogQueries,
  type RequestLogFilter,
  type RequestLogPage,
  type RequestLogSummary,
  type RequestLogDetail,
} from './log-queries.js';
export { startRetentionPurge, type RetentionOptions, type RetentionPurge } from './retention.js';
export { runUsageCommand, USAGE_HELP, type UsageCliIo } from './cli.js';
export { usageTimeseries, registerTimeseriesRoute, MAX_SERIES_ROWS, type SeriesPoint, type SeriesGroup, type Bucket } from './timeseries.js';
export { METERING_ROUTE_DOCS } from './route-docs.js';
export {
  usageReportSchema,
  usageTimeseriesSchema,
  requestLogPageSchema,
  requestLogDetailSchema,
} from './api-schemas.js';
