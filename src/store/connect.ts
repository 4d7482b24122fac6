import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  Kysely,
  type KyselyPlugin,
  Migrator,
  OperationNodeTransformer,
  PostgresDialect,
  type PrimitiveValueListNode,
  SqliteAdapter,
  SqliteDialect,
  sql,
  type ValueNode,
} from 'kysely';
import pg from 'pg';
import { describeCause, isPostgresLocation, redactLocation, StoreError, sqlitePath } from './errors.js';
import { migrations, type StoreKind } from './migrations.js';
import type { Database } from './schema.js';
import { hasAllWords } from './search-words.js';

export interface OpenOptions {
  /** PostgreSQL only: the schema to create (if missing) and work in. */
  readonly schema?: string;
  /** SQLite only: another connection checkpoints the log (`startCheckpointer`, checkpoint.ts); this one does only
   * if the log reaches 160 MB, should that one fall behind. */
  readonly checkpointedElsewhere?: boolean;
}

export interface Connection {
  readonly db: Kysely<Database>;
  readonly kind: StoreKind;
  /** Redacted. */
  readonly location: string;
}

/** Opens the database at `location` (a file path or a `postgres://` URL) and migrates it to the latest schema. */
export async function connect(location: string, options: OpenOptions = {}): Promise<Connection> {
  const kind: StoreKind = isPostgresLocation(location) ? 'postgres' : 'sqlite';
  const shown = kind === 'postgres' ? redactLocation(location) : sqlitePath(location);
  const db =
    kind === 'postgres'
      ? await openPostgres(location, shown, options.schema)
      : await openSqlite(location, shown, options.checkpointedElsewhere === true);
  try {
    await migrate(db, kind, shown);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return Object.freeze({ db, kind, location: shown });
}

async function openSqlite(
  location: string,
  path: string,
  checkpointedElsewhere: boolean,
): Promise<Kysely<Database>> {
  let sqlite: SqliteDatabase.Database | undefined;
  try {
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    sqlite = new SqliteDatabase(path);
    sqlite.pragma('journal_mode = WAL');
    // In WAL mode NORMAL syncs the log at checkpoints rather than at every commit: a committed
    // transaction survives the process being killed (the crash trials of test/proof), and the file
    // stays consistent whatever happens; only an operating-system crash or power cut may lose the
    // last commits (which a re-ingest restores: documents are known by their text). FULL flushed
    // the log to disk for every document: on a busy disk, a third or more of ingest time.
    sqlite.pragma('synchronous = NORMAL');
    // A stored document dirties ~150 pages scattered over a dozen indexes of hashed keys (600 KB of
    // log); checkpointing every 1,000 pages (the default) copied them into the file every few
    // documents, a quarter of ingest time in a 700 MB store. Every 4,000 pages a checkpoint finds
    // more of them dirtied twice (ingest into a 35k-document store: 70 → 75 documents/s); the log
    // is cut back to 64 MB after one that a long reader held back.
    sqlite.pragma(`wal_autocheckpoint = ${checkpointedElsewhere ? 40_000 : 4000}`);
    sqlite.pragma('journal_size_limit = 67108864');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.function('vigil_has_words', { deterministic: true }, hasAllWords);
  } catch (error) {
    sqlite?.close();
    throw openFailed(location === ':memory:' ? location : path, error);
  }
  return new Kysely<Database>({
    dialect: new TransactionalSqliteDialect({ database: withStatementCache(sqlite) }),
  });
}

/** Prepared statements kept per SQLite connection (least recently used go first). */
const CACHED_STATEMENTS = 256;

/* Kysely's SQLite driver prepares every statement it runs, and preparing cost as much as running
 * (an ingest runs the same few dozen statements for every document). The connection it is given
 * hands out a statement already prepared for the same SQL text. Statements run one at a time (the
 * driver holds its only connection while one runs, a streamed select until it ends), so sharing one
 * between runs is safe; SQLite prepares a statement again by itself if the schema changed. */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDatabase.Database {
  const statements = new Map<string, SqliteDatabase.Statement>();
  const prepare = (source: string) => {
    let statement = statements.get(source);
    if (statement !== undefined) {
      statements.delete(source);
    } else {
      statement = sqlite.prepare(source);
      if (statements.size >= CACHED_STATEMENTS) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
    }
    statements.set(source, statement);
    return statement;
  };
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/* SQLite runs DDL in transactions, but Kysely's adapter says it does not, so its Migrator ran each
 * migration statement by statement: a process killed in the middle of one (the first `vigil` run on
 * a new file, or the first after an upgrade) left some of its tables behind unrecorded, and every
 * later run failed with `table "reports" already exists`. Said so, the pending migrations run in one
 * transaction: all of them or none. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// COUNT(*) is bigint and NUMERIC is arbitrary precision; the store's figures all fit in a JS number.
const pgTypes = new pg.TypeOverrides();
pgTypes.setTypeParser(pg.types.builtins.INT8, Number);
pgTypes.setTypeParser(pg.types.builtins.NUMERIC, Number);

async function openPostgres(
  url: string,
  shown: string,
  schema: string | undefined,
): Promise<Kysely<Database>> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreError('invalid_option', `invalid schema name ${JSON.stringify(schema)}`, shown);
  }
  const pool = new pg.Pool({
    connectionString: url,
    types: pgTypes,
    connectionTimeoutMillis: 10_000,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client that loses its server must not crash the process; the next query reports the failure.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [withoutNul] });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw openFailed(shown, error);
  }
  if (schema !== undefined) {
    try {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    } catch (error) {
      // Two stores opening at once can race on creating the schema; losing that race is fine.
      const exists = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db);
      if (exists.rows.length === 0) {
        await db.destroy();
        throw openFailed(shown, error);
      }
    }
  }
  return db;
}

/** PostgreSQL text cannot hold U+0000 ("invalid byte sequence for encoding UTF8: 0x00"), which JSON
 * (`"\u0000"`) and URLs (`%00`) carry easily: every string bound to a statement loses its NULs, so an
 * article, a title or an id with one is stored or looked up without it instead of failing. */
class NulStripper extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return typeof node.value === 'string' && node.value.includes('\u0000')
      ? { ...node, value: node.value.replaceAll('\u0000', '') }
      : node;
  }
  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return node.values.some((v) => typeof v === 'string' && v.includes('\u0000'))
      ? {
          ...node,
          values: node.values.map((v) => (typeof v === 'string' ? v.replaceAll('\u0000', '') : v)),
        }
      : node;
  }
}

const nulStripper = new NulStripper();
const withoutNul: KyselyPlugin = {
  transformQuery: (args) => nulStripper.transformNode(args.node, args.queryId),
  transformResult: async (args) => args.result,
};

function openFailed(location: string, error: unknown): StoreError {
  return new StoreError(
    'open_failed',
    `cannot open database ${location}: ${describeCause(error)}`,
    location,
    error,
  );
}

async function migrate(db: Kysely<Database>, kind: StoreKind, location: string): Promise<void> {
  // Kysely looks for its migration table in every schema unless told which one; name ours.
  const migrationTableSchema =
    kind === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(kind) },
    ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    throw new StoreError(
      'migration_failed',
      `cannot migrate database ${location}: ${describeCause(error)}`,
      location,
      error,
    );
  }
}
