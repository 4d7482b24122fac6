import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations.js';
import { makeDocument } from './fixtures.js';

describe('a database made by the first release', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-migrate-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('upgrades to the current schema and keeps its incidents', async () => {
    const file = join(dir, 'old.db');
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(file) }) });
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations('sqlite') } });
    expect((await migrator.migrateTo('0001_initial')).error).toBeUndefined();
    const doc = makeDocument();
    await sql`insert into documents (id, text, origin, ingested_at) values (${doc.id}, ${doc.text}, 'old', '2024-03-25')`.execute(
      db,
    );
    await sql`insert into incidents (id, country, attack_types, weapon_types, target_types, target_text,
      perpetrator_nationalities, killed_value, killed_min, killed_max, killed_qualifier, created_at)
      values ('old-incident', 'RU', '["armed_assault"]', '[]', '[]', '[]', '[]', 139, 139, 139, 'exact', '2024-03-25')`.execute(
      db,
    );
    await sql`insert into incident_sources (incident_id, document_id, position) values ('old-incident', ${doc.id}, 0)`.execute(
      db,
    );
    await db.destroy();

    const store = await openStore(file);
    try {
      const incident = await store.getIncident('old-incident');
      expect(incident).toMatchObject({
        country: 'RU',
        killed: { value: 139 },
        perpetratorText: [],
        victimText: [],
        weaponText: [],
        physicalTargetText: [],
        kidnapped: null,
        perpetratorsKilled: null,
        suicide: false,
        outcome: 'carried_out',
      });
    } finally {
      await store.close();
    }
  });
});
