import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../store/databases.js';
import { call, type Running, type Seeded, seed, startServer } from './helpers.js';

// GET /incidents?sort=&order=: every key and direction, paged by next_cursor one incident at a time,
// gives the incidents the caller sees in the order the values say, unknown values last, each once.

interface Out {
  id: string;
  date: string | null;
  country: string | null;
  killed: { value: number | null; min: number } | null;
  wounded: { value: number | null; min: number } | null;
  perpetrator_groups: { group: string }[];
}
interface Page {
  incidents: Out[];
  next_cursor: string | null;
}

const KEYS = ['date', 'killed', 'wounded', 'country', 'group'] as const;
const value = (i: Out, key: (typeof KEYS)[number]): string | number | null => {
  switch (key) {
    case 'date':
      return i.date;
    case 'killed':
      return i.killed === null ? null : (i.killed.value ?? i.killed.min);
    case 'wounded':
      return i.wounded === null ? null : (i.wounded.value ?? i.wounded.min);
    case 'country':
      return i.country;
    case 'group':
      return i.perpetrator_groups[0]?.group ?? null;
  }
};

describe.each(testDialects())('sorted incident lists on $kind', (dialect) => {
  let running: Running;
  let seeded: Seeded;

  beforeAll(async () => {
    running = await startServer(dialect);
    seeded = await seed(running);
  });
  afterAll(async () => {
    await running?.close();
    await dialect.cleanup();
  });

  const get = (path: string, key = seeded.keys.alphaAnalyst) => call<Page>(running.url, 'GET', path, key);

  it.each(KEYS.flatMap((k) => (['asc', 'desc'] as const).map((o) => [k, o] as const)))(
    'sort=%s order=%s: in order, unknown last, the same page by page',
    async (key, order) => {
      const whole = await get(`/api/v1/incidents?sort=${key}&order=${order}&limit=500`);
      expect(whole.status).toBe(200);
      const all = whole.body.incidents;
      const everything = await get('/api/v1/incidents?limit=500');
      expect(new Set(all.map((i) => i.id))).toEqual(new Set(everything.body.incidents.map((i) => i.id)));
      const values = all.map((i) => value(i, key));
      const known = values.filter((v) => v !== null);
      expect(values.slice(known.length).every((v) => v === null)).toBe(true);
      const sorted = [...known].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      expect(known).toEqual(order === 'asc' ? sorted : sorted.reverse());

      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: Page } = await get(
          `/api/v1/incidents?sort=${key}&order=${order}&limit=1${cursor === null ? '' : `&cursor=${cursor}`}`,
        );
        expect(page.status).toBe(200);
        paged.push(...page.body.incidents.map((i) => i.id));
        cursor = page.body.next_cursor;
      } while (cursor !== null && paged.length <= all.length);
      expect(paged).toEqual(all.map((i) => i.id));
    },
  );

  it('the default order is sort=date&order=desc, and a cursor belongs to its order', async () => {
    const plain = await get('/api/v1/incidents?limit=2');
    const explicit = await get('/api/v1/incidents?sort=date&order=desc&limit=2');
    expect(explicit.body).toEqual(plain.body);
    const cursor = plain.body.next_cursor as string;
    const other = await get(`/api/v1/incidents?sort=killed&limit=2&cursor=${cursor}`);
    expect(other.status).toBe(400);
    const bad = await get('/api/v1/incidents?sort=victims');
    expect(bad.status).toBe(400);
  });

  it('sorts and searches only what the caller sees', async () => {
    for (const key of KEYS) {
      const reply = await get(`/api/v1/incidents?sort=${key}&order=asc&limit=500`, seeded.keys.gammaAnalyst);
      const ids = reply.body.incidents.map((i) => i.id);
      for (const hidden of [...seeded.incidents.amber, ...seeded.incidents.strict, ...seeded.incidents.red])
        expect(ids).not.toContain(hidden);
    }
    const found = await get('/api/v1/incidents?q=farmers&sort=killed', seeded.keys.gammaAnalyst);
    expect(found.body.incidents).toEqual([]);
    const mine = await get('/api/v1/incidents?q=farmers&sort=killed', seeded.keys.alphaAnalyst);
    expect(mine.body.incidents.map((i) => i.id)).toEqual(seeded.incidents.amber);
  });
});
