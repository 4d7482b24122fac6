import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { checkBundle, tlpMarkingId } from '../../src/stix/index.js';
import { testDialects } from '../store/databases.js';
import { ARTICLES, PUBLISHED } from './fixtures.js';
import { call, type Running, type Seeded, seed, startServer } from './helpers.js';

type IncidentPage = {
  incidents: { id: string; date: string | null; tlp: string }[];
  next_cursor: string | null;
};

describe.each(testDialects())('vigil serve on $kind', (dialect) => {
  let running: Running;
  let seeded: Seeded;
  const extra: Running[] = [];

  beforeAll(async () => {
    running = await startServer(dialect);
    seeded = await seed(running);
  });
  afterAll(async () => {
    for (const r of [running, ...extra]) await r?.close().catch(() => {});
    await dialect.cleanup();
  });

  it('answers /healthz and /readyz without a key', async () => {
    expect(await call(running.url, 'GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await call(running.url, 'GET', '/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ready', database: dialect.kind },
    });
  });

  it('serves the OpenAPI document and the docs page without a key, offline', async () => {
    const spec = await call<{ openapi: string; paths: Record<string, unknown> }>(
      running.url,
      'GET',
      '/docs/json',
    );
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/incidents',
        '/api/v1/incidents/{id}',
        '/api/v1/documents',
        '/api/v1/stix',
        '/api/v1/keys',
      ]),
    );
    const page = await call(running.url, 'GET', '/docs/static/index.html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui');
    expect(page.text).not.toMatch(/https?:\/\/(cdn|unpkg)/);
  });

  it('pages through incidents newest first with limit and cursor, without repeats', async () => {
    const all = await call<IncidentPage>(
      running.url,
      'GET',
      '/api/v1/incidents?limit=500',
      seeded.keys.alphaAnalyst,
    );
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: IncidentPage } = await call<IncidentPage>(
        running.url,
        'GET',
        `/api/v1/incidents?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        seeded.keys.alphaAnalyst,
      );
      expect(page.body.incidents.length).toBeLessThanOrEqual(1);
      ids.push(...page.body.incidents.map((i) => i.id));
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    expect(ids).toEqual(all.body.incidents.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
    const dates = all.body.incidents.map((i) => i.date);
    const dated = dates.filter((d) => d !== null) as string[];
    expect(dated).toEqual([...dated].sort().reverse());
    expect(dates.slice(dated.length).every((d) => d === null)).toBe(true);
  });

  it('filters by country, group, dates, attack type and words', async () => {
    const key = seeded.keys.alphaAnalyst;
    const ids = async (query: string) =>
      (await call<IncidentPage>(running.url, 'GET', `/api/v1/incidents?${query}`, key)).body.incidents.map(
        (i) => i.id,
      );
    expect(await ids('country=ml')).toEqual(seeded.incidents.strict);
    expect(await ids('group=ISIS-K')).toEqual(seeded.incidents.red);
    expect(await ids('group=discovered:quorvash-brigade')).toEqual(seeded.incidents.amber);
    expect(await ids('attack_type=hostage_kidnapping')).toEqual(seeded.incidents.strict);
    expect(await ids('since=2024-05-12&until=2024-05-12')).toEqual(seeded.incidents.strict);
    expect(await ids('q=crowded%20market')).toEqual(seeded.incidents.clear);
    expect(await ids('q=market%20farmers')).toEqual([]);
    expect(await ids('q=gunmen')).toEqual(seeded.incidents.clearLocal);
  });

  it('returns an incident with its evidence, and documents with text only when cleared', async () => {
    const id = seeded.incidents.red[0] as string;
    const incident = await call<{ id: string; evidence: { sentence: string }[]; tlp: string }>(
      running.url,
      'GET',
      `/api/v1/incidents/${id.slice(0, 8)}`,
      seeded.keys.betaAnalyst,
    );
    expect(incident.status).toBe(200);
    expect(incident.body).toMatchObject({ id, tlp: 'red' });
    expect(incident.body.evidence.some((e) => e.sentence.includes(ARTICLES.red.marker))).toBe(true);
    const list = await call<{ documents: Record<string, unknown>[] }>(
      running.url,
      'GET',
      '/api/v1/documents',
      seeded.keys.betaAnalyst,
    );
    expect(list.body.documents.every((d) => !('text' in d))).toBe(true);
    const doc = await call(
      running.url,
      'GET',
      `/api/v1/documents/${seeded.documents.red}`,
      seeded.keys.betaAnalyst,
    );
    expect(doc.body).toMatchObject({
      title: `Report ${ARTICLES.red.marker}`,
      tlp: 'red',
      published: PUBLISHED,
    });
  });

  it('ingests a posted article: 201 with its incidents, then 200 as already known', async () => {
    const text =
      'Gunmen attacked a hotel in Bamako, Mali on Thursday, killing five guests at the Zephyrine lounge, officials said.';
    const first = await call<{ status: string; tlp: string; incidents: { id: string; tlp: string }[] }>(
      running.url,
      'POST',
      '/api/v1/documents',
      seeded.keys.betaAnalyst,
      { text, title: 'Hotel attack', url: 'https://example.org/hotel', published: PUBLISHED },
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'stored', tlp: 'amber' });
    expect(first.body.incidents.length).toBeGreaterThan(0);
    expect(first.body.incidents.every((i) => i.tlp === 'amber')).toBe(true);
    const again = await call(running.url, 'POST', '/api/v1/documents', seeded.keys.betaAnalyst, { text });
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    // Beta's AMBER is not shared with alpha (alpha shares with beta, not the other way).
    const alpha = await call<IncidentPage>(
      running.url,
      'GET',
      '/api/v1/incidents?q=Zephyrine',
      seeded.keys.alphaAnalyst,
    );
    expect(alpha.body.incidents).toEqual([]);
  });

  it('refuses bad requests with JSON errors and codes', async () => {
    const key = seeded.keys.alphaAnalyst;
    const cases: [string, string, unknown, number, string][] = [
      ['GET', '/api/v1/nothing', undefined, 404, 'not_found'],
      ['GET', '/api/v1/incidents?limit=0', undefined, 400, 'invalid_request'],
      ['GET', '/api/v1/incidents?limit=501', undefined, 400, 'invalid_request'],
      ['GET', '/api/v1/incidents?since=yesterday', undefined, 400, 'invalid_request'],
      ['GET', '/api/v1/incidents?country=Russia', undefined, 400, 'invalid_request'],
      ['GET', '/api/v1/incidents?attack_type=piracy', undefined, 400, 'invalid_request'],
      ['GET', '/api/v1/incidents?since=2024-06-01&until=2024-01-01', undefined, 400, 'invalid_request'],
      ['GET', '/api/v1/incidents?group=nobody-at-all', undefined, 400, 'unknown_group'],
      ['GET', '/api/v1/incidents?cursor=bm90IGpzb24', undefined, 400, 'invalid_cursor'],
      ['GET', '/api/v1/incidents?q=%20%2B%2B', undefined, 400, 'invalid_request'],
      ['GET', '/api/v1/incidents/abc', undefined, 404, 'not_found'],
      ['POST', '/api/v1/documents', {}, 400, 'invalid_request'],
      ['POST', '/api/v1/documents', { text: 'x', tlp: 'white' }, 400, 'invalid_request'],
      ['POST', '/api/v1/documents', { text: '   ' }, 400, 'invalid_request'],
      ['POST', '/api/v1/documents', { text: 'x', published: 'soon' }, 400, 'invalid_request'],
      ['POST', '/api/v1/documents', { text: 'x', recipients: ['beta/bo'] }, 400, 'invalid_request'],
      [
        'POST',
        '/api/v1/documents',
        { text: 'x', tlp: 'red', recipients: ['beta/nobody'] },
        400,
        'invalid_request',
      ],
      ['POST', '/api/v1/documents', '{"text": ', 400, 'invalid_json'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const reply = await call(running.url, method, path, key, body);
      expect(reply.status, `${method} ${path} ${JSON.stringify(body)}: ${reply.text}`).toBe(status);
      expect(reply.body).toMatchObject({ error: { code, message: expect.any(String) } });
    }
    const plain = await call(running.url, 'POST', '/api/v1/documents', key, 'text', {
      'content-type': 'text/plain',
    });
    expect(plain).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    // RED needs a recipient: a key of the organisation, not of a user, must name one.
    const orgKey = (await running.store.access.createKey({ org: 'alpha', role: 'analyst' })).key;
    const red = await call(running.url, 'POST', '/api/v1/documents', orgKey, { text: 'x', tlp: 'red' });
    expect(red).toMatchObject({ status: 400, body: { error: { code: 'invalid_request' } } });
  });

  it('exports a STIX 2.1 bundle that validates, each incident with its marking for the caller', async () => {
    const reply = await call<{
      objects: { type: string; id: string; object_marking_refs?: string[]; extensions?: unknown }[];
    }>(running.url, 'GET', '/api/v1/stix?country=NG', seeded.keys.betaViewer);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('application/stix+json');
    expect(checkBundle(reply.body).errors).toEqual([]);
    const incidents = reply.body.objects.filter((o) => o.type === 'incident');
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.object_marking_refs).toEqual([tlpMarkingId('amber')]);
    const paged = await call(running.url, 'GET', '/api/v1/stix?limit=1', seeded.keys.betaViewer);
    expect(paged.headers.get('x-next-cursor')).toEqual(expect.any(String));
  });

  it('lets an admin create, list and revoke keys of its organisation; the key is shown once', async () => {
    const created = await call<{ id: string; key: string; org: string; role: string }>(
      running.url,
      'POST',
      '/api/v1/keys',
      seeded.keys.alphaAdmin,
      { role: 'viewer', user: 'newcomer' },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ org: 'alpha', role: 'viewer', user: 'alpha/newcomer' });
    expect(created.body.key).toMatch(/^vgl_[A-Za-z0-9_-]{43}$/);
    const list = await call(running.url, 'GET', '/api/v1/keys', seeded.keys.alphaAdmin);
    expect(list.text).toContain(created.body.id);
    expect(list.text).not.toContain(created.body.key);
    expect((await call(running.url, 'GET', '/api/v1/me', created.body.key)).status).toBe(200);
    const revoked = await call(
      running.url,
      'DELETE',
      `/api/v1/keys/${created.body.id}`,
      seeded.keys.alphaAdmin,
    );
    expect(revoked).toMatchObject({ status: 200, body: { revoked_at: expect.any(String) } });
    expect((await call(running.url, 'GET', '/api/v1/me', created.body.key)).status).toBe(401);
    // Another organisation's key is not found from alpha.
    const beta = await running.store.access.createKey({ org: 'beta', role: 'viewer' });
    expect(
      (await call(running.url, 'DELETE', `/api/v1/keys/${beta.id}`, seeded.keys.alphaAdmin)).status,
    ).toBe(404);
    const org = await call(running.url, 'POST', '/api/v1/orgs', seeded.keys.alphaAdmin, { name: 'delta' });
    expect(org.status).toBe(201);
    expect(
      (await call(running.url, 'POST', '/api/v1/orgs', seeded.keys.alphaAdmin, { name: 'delta' })).status,
    ).toBe(409);
    expect(
      (await call(running.url, 'PUT', '/api/v1/orgs/alpha/shares/delta', seeded.keys.alphaAdmin)).status,
    ).toBe(200);
    expect(
      (await call(running.url, 'DELETE', '/api/v1/orgs/alpha/shares/delta', seeded.keys.alphaAdmin)).status,
    ).toBe(200);
  });

  it('never writes a key or an Authorization header to the log', async () => {
    await call(running.url, 'GET', '/api/v1/incidents', 'vgl_not-a-real-key-but-secret-looking');
    const log = running.logs.join('');
    expect(log).toContain('"key_id"');
    expect(log).toContain('request completed');
    for (const key of Object.values(seeded.keys)) expect(log).not.toContain(key);
    expect(log).not.toContain('vgl_');
    expect(running.logs.filter((l) => /bearer/i.test(l))).toEqual([]);
    expect(log.toLowerCase()).not.toContain('authorization');
  });

  it('refuses bodies over the limit with 413', async () => {
    const small = await startServer(dialect, { bodyLimit: 2048 });
    extra.push(small);
    await small.store.access.addOrg('o');
    const key = (await small.store.access.createKey({ org: 'o', role: 'analyst' })).key;
    const reply = await call(small.url, 'POST', '/api/v1/documents', key, { text: 'x'.repeat(4096) });
    expect(reply).toMatchObject({ status: 413, body: { error: { code: 'body_too_large' } } });
  });

  it('stops key guessing: after too many failed authentications an address gets 429, even with a good key', async () => {
    const guarded = await startServer(dialect, { authFailures: { max: 3, windowMs: 60_000 } });
    extra.push(guarded);
    await guarded.store.access.addOrg('o');
    const good = (await guarded.store.access.createKey({ org: 'o', role: 'viewer' })).key;
    expect((await call(guarded.url, 'GET', '/api/v1/me', good)).status).toBe(200);
    for (let i = 0; i < 3; i++)
      expect((await call(guarded.url, 'GET', '/api/v1/me', `vgl_guess${i}`)).status).toBe(401);
    const blocked = await call(guarded.url, 'GET', '/api/v1/me', good);
    expect(blocked).toMatchObject({ status: 429, body: { error: { code: 'too_many_auth_failures' } } });
    expect((await call(guarded.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('limits requests per key', async () => {
    const limited = await startServer(dialect, { rateLimit: { max: 3, windowMs: 60_000 } });
    extra.push(limited);
    await limited.store.access.addOrg('o');
    const key = (await limited.store.access.createKey({ org: 'o', role: 'viewer' })).key;
    for (let i = 0; i < 3; i++) expect((await call(limited.url, 'GET', '/api/v1/me', key)).status).toBe(200);
    const over = await call(limited.url, 'GET', '/api/v1/me', key);
    expect(over).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(over.headers.get('retry-after')).toEqual(expect.any(String));
  });

  it('shuts down gracefully: finishes the request in flight, refuses new ones, closes the store', async () => {
    const store = await dialect.open(dialect.fresh());
    const app = await buildServer({ store, log: { level: 'silent' } });
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    app.get('/slow', { config: { public: true } }, async () => {
      started();
      await sleep(300);
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    const slow = call(url, 'GET', '/slow');
    await inFlight;
    const closing = app.close();
    expect(await slow).toMatchObject({ status: 200, body: { done: true } });
    await closing;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await expect(store.access.ping()).rejects.toThrow();
  });
});
