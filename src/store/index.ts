export { openStore, type Store, type Dialect, type OpenStoreOptions } from './store.js';
export { migrate, type MigrationSet, type ModuleMigration } from './migrate.js';
export { openRedis, type Redis } from './redis.js';
