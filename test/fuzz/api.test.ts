import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import type { Store } from '../../src/store/index.js';
import { ARTICLES, PUBLISHED } from '../server/fixtures.js';
import { testDialects } from '../store/databases.js';
import { HOSTILE, runs, timedAsync } from './mutate.js';

/* The REST API's bodies, query strings and path parameters, fuzzed through fastify.inject against a
 * real SQLite store: every answer is JSON with a status below 500 (an error has a code and a
 * message), and comes within the bound. */

describe.each(testDialects())('the API over a $kind store', (dialect) => {
  let store: Store;
  let app: FastifyInstance;
  let admin: string;
  const logs: string[] = [];

  beforeAll(async () => {
    store = await dialect.open(dialect.fresh());
    await store.access.addOrg('alpha');
    admin = (await store.access.createKey({ org: 'alpha', role: 'admin', user: 'adm' })).key;
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    app = await buildServer({
      store,
      log: { stream, level: 'info' },
      rateLimit: { max: 1_000_000, windowMs: 60_000 },
      authFailures: { max: 1_000_000, windowMs: 60_000 },
    });
    for (const article of Object.values(ARTICLES)) {
      const reply = await app.inject({
        method: 'POST',
        url: '/api/v1/documents',
        headers: { authorization: `Bearer ${admin}` },
        payload: { text: article.text, published: PUBLISHED, tlp: 'green' },
      });
      expect(reply.statusCode, reply.body).toBeLessThan(300);
    }
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await dialect.cleanup();
  });

  const hostileString = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ maxLength: 30, unit: 'binary' }),
    fc.constantFrom(...HOSTILE.filter((h) => h.length < 600)),
    fc.constantFrom(
      'RU',
      'ru',
      'iskp',
      'ISKP',
      '2024-03-22',
      '1',
      '0',
      '-1',
      '500',
      '501',
      'true',
      'eyJhIjoxfQ',
    ),
  );
  const queryKey = fc.constantFrom(
    'country',
    'group',
    'since',
    'until',
    'attack_type',
    'q',
    'limit',
    'cursor',
    'x',
    'country[]',
    '__proto__',
    'constructor',
  );
  const query = fc
    .array(fc.tuple(queryKey, hostileString), { maxLength: 5 })
    .map((pairs) => new URLSearchParams(pairs).toString());

  async function expectHandled(request: {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE';
    url: string;
    payload?: unknown;
    headers?: Record<string, string>;
  }): Promise<void> {
    const reply = await timedAsync(`${request.method} ${request.url}`, () =>
      app.inject({
        ...request,
        headers: { authorization: `Bearer ${admin}`, ...request.headers },
      } as InjectOptions),
    );
    const context = `${request.method} ${request.url} ${JSON.stringify(request.payload)?.slice(0, 200)} → ${reply.statusCode} ${reply.body.slice(0, 300)}`;
    expect(reply.statusCode, context).toBeLessThan(500);
    expect(reply.headers['content-type'], context).toMatch(/json/);
    const body = JSON.parse(reply.body) as { error?: { code: string; message: string } };
    if (reply.statusCode >= 400) {
      expect(body.error?.code, context).toMatch(/^[a-z_]+$/);
      expect(body.error?.message.length, context).toBeGreaterThan(0);
    }
  }

  /** Percent-encodes any string, lone surrogates included (as U+FFFD, as a browser would). */
  function encodePath(text: string): string {
    return [...Buffer.from(text, 'utf8')]
      .map((b) =>
        /[A-Za-z0-9_.~-]/.test(String.fromCharCode(b))
          ? String.fromCharCode(b)
          : `%${b.toString(16).padStart(2, '0')}`,
      )
      .join('');
  }

  describe('API query parameters', () => {
    it.each(['/api/v1/incidents', '/api/v1/stix', '/api/v1/documents'])(
      'GET %s with random filters: 200 or a JSON 4xx, within the bound',
      async (path) => {
        await fc.assert(
          fc.asyncProperty(query, async (q) => expectHandled({ method: 'GET', url: `${path}?${q}` })),
          { numRuns: runs(100) },
        );
      },
    );

    it.each(['%E0%A4%A', '%', '%zz', '%00', '%C0%AF', '..%2F..%2Fetc%2Fpasswd', '%2e%2e', '%ED%A0%80'])(
      'a malformed or hostile encoded id %s gives a JSON 4xx',
      async (raw) => {
        for (const prefix of ['/api/v1/incidents/', '/api/v1/documents/'])
          await expectHandled({ method: 'GET', url: `${prefix}${raw}` });
      },
    );

    it('path parameters: any id gives 200, 400 or 404, never 500', async () => {
      const path = fc.constantFrom(
        '/api/v1/incidents/',
        '/api/v1/documents/',
        '/api/v1/keys/',
        '/api/v1/groups/discovered/',
      );
      await fc.assert(
        fc.asyncProperty(path, hostileString, async (prefix, id) =>
          expectHandled({
            method: prefix.includes('keys') ? 'DELETE' : 'GET',
            url: `${prefix}${encodePath(id) || 'x'}`,
          }),
        ),
        { numRuns: runs(150) },
      );
    });
  });

  describe('API bodies', () => {
    const documentBody = fc.oneof(
      fc.record(
        {
          text: fc.oneof(hostileString, fc.constantFrom(...Object.values(ARTICLES).map((a) => a.text))),
          title: fc.oneof(hostileString, fc.integer()),
          url: hostileString,
          published: hostileString,
          tlp: fc.oneof(fc.constantFrom('clear', 'green', 'amber', 'amber+strict', 'red'), hostileString),
          recipients: fc.oneof(fc.array(hostileString, { maxLength: 3 }), hostileString),
          extra: hostileString,
        },
        { requiredKeys: [] },
      ),
      fc.anything({ maxDepth: 2 }),
    );

    it('POST /documents with random bodies: 200, 201 or a JSON 4xx, within the bound', async () => {
      await fc.assert(
        fc.asyncProperty(documentBody, async (payload) =>
          expectHandled({ method: 'POST', url: '/api/v1/documents', payload }),
        ),
        { numRuns: runs(120) },
      );
    });

    it('raw bodies that are not JSON, or not what they say they are', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/api/v1/documents', '/api/v1/orgs', '/api/v1/keys'),
          fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom(...HOSTILE)),
          fc.constantFrom(
            'application/json',
            'application/json; charset=utf-16',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
          ),
          async (url, payload, type) =>
            expectHandled({ method: 'POST', url, payload, headers: { 'content-type': type } }),
        ),
        { numRuns: runs(120) },
      );
    });

    it('administration and decision bodies: a JSON answer below 500', async () => {
      const target = fc.constantFrom(
        { method: 'POST' as const, url: '/api/v1/orgs' },
        { method: 'POST' as const, url: '/api/v1/keys' },
        { method: 'PUT' as const, url: '/api/v1/orgs/alpha/shares/beta' },
        { method: 'POST' as const, url: '/api/v1/groups/discovered/discovered%3Ax/merge' },
        { method: 'POST' as const, url: '/api/v1/groups/discovered/discovered%3Ax/promote' },
      );
      const body = fc.oneof(
        fc.record(
          {
            name: hostileString,
            role: fc.oneof(fc.constantFrom('viewer', 'analyst', 'admin'), hostileString),
            user: hostileString,
            reason: hostileString,
            into: hostileString,
          },
          { requiredKeys: [] },
        ),
        fc.anything({ maxDepth: 2 }),
      );
      await fc.assert(
        fc.asyncProperty(target, body, async (t, payload) => expectHandled({ ...t, payload })),
        { numRuns: runs(120) },
      );
    });

    it('logged no internal error while fuzzed', () => {
      expect(logs.filter((l) => l.includes('"level":50'))).toEqual([]);
    });
  });
});
