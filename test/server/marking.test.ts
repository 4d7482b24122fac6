import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../store/databases.js';
import { ARTICLES } from './fixtures.js';
import { call, type Running, type Seeded, seed, startServer } from './helpers.js';

// A document's marking is raised by its holder only, never lowered or widened, and every read
// follows at once: lists, search, the document itself.

describe.each(testDialects())('raising a marking on $kind', (dialect) => {
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

  const mark = (who: keyof Seeded['keys'], body: unknown) =>
    call(running.url, 'PUT', `/api/v1/documents/${seeded.documents.amber}/marking`, seeded.keys[who], body);
  const ids = async (who: keyof Seeded['keys'], query: string) =>
    (
      (await call(running.url, 'GET', `/api/v1/incidents?${query}`, seeded.keys[who])).body as {
        incidents: { id: string }[];
      }
    ).incidents.map((i) => i.id);

  it('lets only the holder raise it, and only raise it', async () => {
    // beta sees alpha's AMBER (alpha shares with beta) but does not hold it; gamma does not see it.
    expect((await mark('betaAnalyst', { tlp: 'red', recipients: ['beta/bo'] })).status).toBe(403);
    expect((await mark('gammaAnalyst', { tlp: 'red' })).status).toBe(404);
    expect((await mark('alphaViewer', { tlp: 'amber+strict' })).status).toBe(403);
    const lower = await mark('alphaAnalyst', { tlp: 'green' });
    expect(lower.status).toBe(400);
    expect(lower.text).toMatch(/can only be raised/);
    expect((await mark('alphaAnalyst', { tlp: 'amber', recipients: ['beta/bo'] })).status).toBe(400);
  });

  it('takes the document and its incidents out of what those no longer cleared see, at once', async () => {
    const marker = ARTICLES.amber.marker.toLowerCase();
    expect(await ids('betaViewer', `q=${marker}`)).toEqual(seeded.incidents.amber);
    const raised = await mark('alphaAnalyst', { tlp: 'amber+strict' });
    expect(raised.status, raised.text).toBe(200);
    expect(raised.body).toMatchObject({ tlp: 'amber+strict' });
    expect(await ids('betaViewer', `q=${marker}`)).toEqual([]);
    expect(await ids('betaViewer', 'limit=500')).not.toContain(seeded.incidents.amber[0]);
    const doc = await call(
      running.url,
      'GET',
      `/api/v1/documents/${seeded.documents.amber}`,
      seeded.keys.betaViewer,
    );
    expect(doc.status).toBe(404);
    // Still alpha's, at its new marking.
    expect(await ids('alphaViewer', `q=${marker}`)).toEqual(seeded.incidents.amber);
    const back = await mark('alphaAnalyst', { tlp: 'amber' });
    expect(back.status).toBe(400);
  });
});
