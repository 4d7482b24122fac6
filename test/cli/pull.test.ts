import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentJson } from '../../src/resolve/index.js';
import { openStore } from '../../src/store/index.js';
import { call, type Running, type Seeded, seed, startServer } from '../server/helpers.js';
import { testDialects } from '../store/databases.js';
import { vigil as run } from './helpers.js';

// `vigil pull` from a running Vigil TAXII server (over SQLite and over PostgreSQL) into another
// store, both on 127.0.0.1: the same incidents as the key sees them, and pulling twice changes
// nothing.

const vigil = (args: readonly string[], cwd: string) => run(args, { cwd, timeout: 90_000 });

interface RestIncident {
  id: string;
  tlp: string;
  [field: string]: unknown;
}

describe.each(testDialects())('vigil pull from a TAXII server on $kind', { timeout: 180_000 }, (dialect) => {
  let running: Running;
  let seeded: Seeded;
  let dir: string;

  beforeAll(async () => {
    running = await startServer(dialect);
    seeded = await seed(running);
    dir = await mkdtemp(join(tmpdir(), 'vigil-pull-'));
  });
  afterAll(async () => {
    await running?.close();
    await dialect.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The incidents the key sees on the server, as `vigil incidents --json` shapes them. */
  async function seen(key: string): Promise<Map<string, Record<string, unknown>>> {
    const reply = await call<{ incidents: RestIncident[] }>(
      running.url,
      'GET',
      '/api/v1/incidents?limit=500',
      key,
    );
    return new Map(reply.body.incidents.map(({ tlp: _tlp, ...i }) => [i.id, i]));
  }

  async function pulled(db: string): Promise<Map<string, Record<string, unknown>>> {
    const store = await openStore(db);
    try {
      const incidents = await store.listIncidents();
      return new Map(incidents.map((i) => [i.id, incidentJson(i) as unknown as Record<string, unknown>]));
    } finally {
      await store.close();
    }
  }

  it.each([
    ['alphaAnalyst', ['--api-key'], 3],
    ['betaViewer', ['--user', 'someone', '--password'], 1000],
    ['gammaAnalyst', ['--api-key'], 1],
  ] as const)(
    '%s (%s, pages of %i): the same incidents, and twice changes nothing',
    async (who, auth, limit) => {
      const db = join(dir, `${who}.db`);
      const url = `${running.url}/taxii2/vigil/collections/all/`;
      const args = [
        '--db',
        db,
        'pull',
        url,
        ...auth,
        seeded.keys[who],
        '--allow-private',
        '--limit',
        String(limit),
      ];
      const first = await vigil([...args, '--json'], dir);
      expect(first.code, first.stderr).toBe(0);
      const result = JSON.parse(first.stdout) as { stored: string[]; known: string[]; pages: number };
      const expected = await seen(seeded.keys[who]);
      expect(result.stored.sort()).toEqual([...expected.keys()].sort());
      expect(result.known).toEqual([]);
      const got = await pulled(db);
      expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [id, incident] of expected) expect(got.get(id), id).toEqual(incident);

      const again = await vigil(args, dir);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain(`0 stored, ${expected.size} already known`);
      expect(await pulled(db)).toEqual(got);
    },
  );

  it('refuses a loopback server without --allow-private, and a bad key', async () => {
    const url = `${running.url}/taxii2/vigil/collections/all/`;
    const db = join(dir, 'refused.db');
    const refused = await vigil(['--db', db, 'pull', url, '--api-key', seeded.keys.alphaViewer], dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refused');
    const bad = await vigil(['--db', db, 'pull', url, '--api-key', 'vgl_nope', '--allow-private'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('HTTP 401');
    const since = await vigil(
      [
        '--db',
        db,
        'pull',
        url,
        '--api-key',
        seeded.keys.alphaViewer,
        '--allow-private',
        '--added-after',
        '2999-01-01T00:00:00Z',
      ],
      dir,
    );
    expect(since.code, since.stderr).toBe(0);
    expect(since.stdout).toContain('0 stored, 0 already known');
  });
});
