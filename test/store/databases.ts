import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type OpenOptions, openStore, type Store, type StoreKind } from '../../src/store/index.js';

export const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  readonly location: string;
  readonly options: OpenOptions;
}

/** Hands out empty databases of one kind for one test file, and removes them all at the end. */
export interface TestDialect {
  readonly kind: StoreKind;
  /** A new, empty database (a temp file, or a new PostgreSQL schema). */
  fresh(): TestDatabase;
  open(database: TestDatabase): Promise<Store>;
  cleanup(): Promise<void>;
}

export function testDialects(): TestDialect[] {
  const tag = randomUUID().replaceAll('-', '').slice(0, 12);
  return [sqliteDialect(), postgresDialect(tag)];
}

function sqliteDialect(): TestDialect {
  let dir: string | undefined;
  let n = 0;
  return {
    kind: 'sqlite',
    fresh() {
      dir ??= mkdtempSync(join(tmpdir(), 'vigil-store-'));
      n += 1;
      return { location: join(dir, `nested/db-${n}.sqlite`), options: {} };
    },
    open: (db) => openStore(db.location, db.options),
    async cleanup() {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresDialect(tag: string): TestDialect {
  const schemas: string[] = [];
  return {
    kind: 'postgres',
    fresh() {
      const schema = `vigil_test_${tag}_${schemas.length + 1}`;
      schemas.push(schema);
      return { location: POSTGRES_URL, options: { schema } };
    },
    open: (db) => openStore(db.location, db.options),
    async cleanup() {
      if (schemas.length === 0) return;
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
