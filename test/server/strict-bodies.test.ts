import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useStrictBodies } from '../../src/server/validation.js';
import { testDialects } from '../store/databases.js';
import { call, type Running, startServer } from './helpers.js';

/* JSON bodies are strict: Fastify's defaults dropped unknown properties and turned numbers into
 * strings, so `{"title": 123, "bogus": 1}` was stored as if the caller had sent something else. Query
 * strings and path parameters are text on the wire and keep being coerced. */

const TEXT = 'Gunmen killed five people at a market in Kabul on Monday, police said.';

describe.each(testDialects())('strict JSON bodies on $kind', (dialect) => {
  let running: Running;
  let analyst: string;
  let admin: string;

  beforeAll(async () => {
    running = await startServer(dialect);
    await running.store.access.addOrg('alpha');
    analyst = (await running.store.access.createKey({ org: 'alpha', role: 'analyst', user: 'ana' })).key;
    admin = (await running.store.access.createKey({ org: 'alpha', role: 'admin', user: 'adm' })).key;
  });
  afterAll(async () => {
    await running?.close();
    await dialect.cleanup();
  });

  const refused = async (key: string, path: string, body: unknown, named: string[]) => {
    const reply = await call<{ error: { code: string; message: string } }>(
      running.url,
      'POST',
      path,
      key,
      body,
    );
    expect(reply.status, `${path}: ${reply.text}`).toBe(400);
    expect(reply.body.error.code).toBe('invalid_request');
    for (const word of named) expect(reply.body.error.message).toContain(word);
  };

  it.each([
    [
      '/api/v1/documents',
      { text: TEXT, bogus: 1 },
      ['body has unknown property bogus', 'known: text, title'],
    ],
    ['/api/v1/documents', { text: TEXT, title: 123 }, ['body.title must be string']],
    ['/api/v1/documents', { text: 42 }, ['body.text must be string']],
    ['/api/v1/documents', { text: TEXT, recipients: ['a/b', 7] }, ['body.recipients[1] must be string']],
    ['/api/v1/documents', { text: TEXT, tlp: 'white' }, ['body.tlp must be one of clear, green, amber']],
    [
      '/api/v1/documents/fetch',
      { url: 'https://news.example.org/a', extra: true },
      ['unknown property extra'],
    ],
    [
      '/api/v1/documents/fetch',
      { url: 'https://news.example.org/a', published: 20240510 },
      ['body.published'],
    ],
    [
      '/api/v1/incidents/abc/merge',
      { other: 'def', reason: 'same', force: true },
      ['unknown property force'],
    ],
    ['/api/v1/incidents/abc/split', { document: 'a'.repeat(64), reason: 7 }, ['body.reason must be string']],
    [
      '/api/v1/groups/discovered/discovered:x/merge',
      { into: 'iskp', reason: 'r', by: 'me' },
      ['property by'],
    ],
    [
      '/api/v1/groups/discovered/discovered:x/promote',
      { name: 5, reason: 'r' },
      ['body.name must be string'],
    ],
  ])('refuses POST %s %j naming the property', async (path, body, named) => {
    await refused(analyst, path, body, named);
  });

  it.each([
    ['/api/v1/orgs', { name: 'beta', shared: true }, ['unknown property shared']],
    ['/api/v1/keys', { role: 'viewer', user: 12 }, ['body.user must be string']],
    ['/api/v1/keys', { role: 'viewer', org: 'beta' }, ['unknown property org']],
  ])('refuses admin POST %s %j naming the property', async (path, body, named) => {
    await refused(admin, path, body, named);
  });

  it('stores nothing from a refused body, and still takes a valid one', async () => {
    await refused(analyst, '/api/v1/documents', { text: TEXT, title: 123 }, ['title']);
    expect(
      (await call<{ documents: unknown[] }>(running.url, 'GET', '/api/v1/documents', analyst)).body,
    ).toEqual(expect.objectContaining({ documents: [] }));
    const posted = await call(running.url, 'POST', '/api/v1/documents', analyst, {
      text: TEXT,
      title: 'Kabul',
      tlp: 'green',
    });
    expect(posted.status, posted.text).toBe(201);
    const key = await call(running.url, 'POST', '/api/v1/keys', admin, { role: 'viewer', user: 'vi' });
    expect(key.status, key.text).toBe(201);
  });

  it('still coerces query strings: limit=1 is a number, limit=abc is refused naming it', async () => {
    const page = await call<{ documents: unknown[] }>(
      running.url,
      'GET',
      '/api/v1/documents?limit=1',
      analyst,
    );
    expect(page.status, page.text).toBe(200);
    const bad = await call<{ error: { message: string } }>(
      running.url,
      'GET',
      '/api/v1/incidents?limit=abc',
      analyst,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('querystring.limit must be integer');
  });
});

describe('useStrictBodies', () => {
  const app = (schema: object): FastifyInstance => {
    const server = Fastify();
    useStrictBodies(server);
    server.post('/n', { schema }, async (req) => ({ body: req.body, query: req.query }));
    return server;
  };
  const count = { type: 'object', additionalProperties: false, properties: { count: { type: 'integer' } } };

  it('refuses a string where a body wants an integer, and coerces the same in the query', async () => {
    const server = app({ body: count, querystring: count });
    const refused = await server.inject({ method: 'POST', url: '/n', payload: { count: '5' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe('body.count must be integer');
    const taken = await server.inject({ method: 'POST', url: '/n?count=5', payload: { count: 5 } });
    expect(taken.json()).toEqual({ body: { count: 5 }, query: { count: 5 } });
    await server.close();
  });

  it('refuses to start with a body schema that would let unknown properties through', async () => {
    const open = { type: 'object', properties: { a: { type: 'string' } } };
    await expect(app({ body: open }).ready()).rejects.toThrow(
      'the body schema of POST /n must set additionalProperties: false',
    );
    const nested = { ...count, properties: { inner: open } };
    await expect(app({ body: nested }).ready()).rejects.toThrow('property inner');
  });
});
