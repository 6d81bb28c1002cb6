/** The responses module's public API: stored Responses-API responses per tenant, chaining, retention. */
export { responsesMigrations, type ResponsesTables, type ResponsesTable } from './tables.js';
export {
  createResponseStore,
  previousResponseNotFound,
  responseNotFound,
  type NewResponse,
  type ResponseOwner,
  type ResponseStore,
  type ResponseStoreOptions,
  type StoredResponse,
} from './response-store.js';
export { startResponsePurge, type ResponsePurge, type ResponsePurgeOptions } from './purge.js';
