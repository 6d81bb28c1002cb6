import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './store.js';

/**
 * Versioned migrations, applied at start. Each module contributes its own set (it owns its
 * tables); names start with a sortable version (`20261125_01_tenancy`) so the order across modules
 * is fixed. The same migrations run on SQLite and PostgreSQL: they use Kysely's schema builder
 * and portable types only (text, integer/bigint, double precision; JSON as text; booleans 0/1).
 */
export type ModuleMigration = (db: Kysely<any>, dialect: Dialect) => Promise<void>;

export interface MigrationSet {
  [name: string]: { up: ModuleMigration };
}

export async function migrate(db: Kysely<object>, dialect: Dialect, sets: MigrationSet[]): Promise<string[]> {
  const all: Record<string, Migration> = {};
  for (const set of sets) {
    for (const [name, m] of Object.entries(set)) {
      if (all[name]) throw new Error(`Duplicate migration name '${name}'.`);
      all[name] = { up: (d) => m.up(d, dialect) };
    }
  }
  const provider: MigrationProvider = { getMigrations: async () => all };
  // Kysely looks for its bookkeeping tables in every schema unless told which one; with several
  // schemas in one database (tests, or installs sharing a server) it would find another's.
  const migrationTableSchema =
    dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'baimo_migrations',
    migrationLockTableName: 'baimo_migrations_lock',
    migrationTableSchema,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
