import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import { htmlToArticle } from '../../src/sources/html.js';
import { openStore, type Store } from '../../src/store/index.js';
import { ARTICLES, PUBLISHED } from '../server/fixtures.js';

/* The API under attack: path traversal into the static files, oversized and malformed bodies,
 * script in article text, key guessing, and keys in the log. */

const SECRET = 'TOP-SECRET-FILE-CONTENT-7f3a';
let dir: string;
let store: Store;
let app: FastifyInstance;
let base: string;
let admin: string;
const logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-security-'));
  // The dashboard's folder, with a secret next to it that no URL may reach.
  const web = join(dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><html><body><div id="root"></div></body></html>');
  writeFileSync(join(web, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  writeFileSync(join(web, '.env'), SECRET);
  store = await openStore(join(dir, 'api.db'));
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
    log: { stream, level: 'trace' },
    bodyLimit: 64 * 1024,
    authFailures: { max: 5, windowMs: 60_000 },
    ...({ webRoot: web } as Partial<ServerOptions>),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw request (no URL normalisation by the client, so `..` and `%2e` reach the server as written). */
function raw(
  path: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    chunks?: Buffer[];
  } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(parts).toString('utf8'),
            headers: res.headers,
          }),
        );
      },
    );
    req.on('error', (error) => {
      // The server may answer 413 and close before the whole body is sent.
      if (
        (error as NodeJS.ErrnoException).code === 'EPIPE' ||
        (error as NodeJS.ErrnoException).code === 'ECONNRESET'
      )
        resolve({ status: -1, body: '', headers: {} });
      else reject(error);
    });
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else req.end(options.body);
  });
}

const auth = (key = admin) => ({ authorization: `Bearer ${key}` });

describe('path traversal', () => {
  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/assets/../../secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/index.html/../../secret.txt',
    '/.env',
    '/%2eenv',
    '/assets/..%5c..%5csecret.txt',
    '//secret.txt',
    '/secret.txt%00.js',
    '/docs/static/../../../secret.txt',
    '/docs/static/%2e%2e/%2e%2e/%2e%2e/secret.txt',
    '/docs/static/..%2f..%2f..%2fpackage.json',
    '/docs/%2e%2e/%2e%2e/package.json',
    '/api/v1/documents/..%2f..%2fsecret.txt',
    '/api/v1/../../secret.txt',
  ])('GET %s reaches no file outside what is served', async (path) => {
    const reply = await raw(path, { headers: auth() });
    expect(reply.body).not.toContain(SECRET);
    expect(reply.body).not.toMatch(/"name":\s*"vigil"|root:x:0:0/);
    expect(reply.status).toBeGreaterThanOrEqual(300);
  });

  it('serves the files that are there, with a CSP that forbids inline script', async () => {
    const index = await raw('/');
    if (index.status === 404) return; // no dashboard in this build
    expect(index.status).toBe(200);
    expect(String(index.headers['content-security-policy'])).toMatch(/script-src 'self'(;|$)/);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
  });

  it('a page or feed naming a file: URL gets no url from it (nothing ever reads it)', () => {
    const page = `<html><head><link rel="canonical" href="file:///etc/passwd"></head><body><article><p>${ARTICLES.clear.text}</p></article></body></html>`;
    const result = htmlToArticle(page);
    expect(result.ok && result.article.url).toBeNull();
  });
});

describe('oversized and malformed bodies', () => {
  const post = (body: Buffer | string, headers: Record<string, string> = {}) =>
    raw('/api/v1/documents', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', ...headers },
      body,
    });

  it('a body over the limit is refused with 413, declared or chunked', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(200 * 1024) });
    const declared = await post(big, { 'content-length': String(Buffer.byteLength(big)) });
    expect(declared.status === -1 || declared.status === 413).toBe(true);
    if (declared.status === 413) expect(JSON.parse(declared.body).error.code).toBe('body_too_large');
    const chunked = await raw('/api/v1/documents', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      chunks: Array.from({ length: 20 }, () => Buffer.from('x'.repeat(16 * 1024))),
    });
    expect(chunked.status === -1 || chunked.status === 413).toBe(true);
    const lying = await raw('/api/v1/documents', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json', 'content-length': String(10 ** 12) },
      body: '{}',
    });
    expect([-1, 400, 413]).toContain(lying.status);
  });

  it('deeply nested JSON, prototype pollution and compressed bodies are refused as bad requests', async () => {
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    for (const body of [deep, `{"text":${deep}}`]) {
      const reply = await post(body);
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body).error.code).toMatch(/^[a-z_]+$/);
    }
    const polluted = await post('{"text":"Gunmen attacked a bus in Kabul.","__proto__":{"role":"admin"}}');
    expect(polluted.status).toBe(400);
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    const gzip = await post(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), { 'content-encoding': 'gzip' });
    expect(gzip.status).toBeGreaterThanOrEqual(400);
    expect(gzip.status).toBeLessThan(500);
  });
});

describe('script in article text', () => {
  it('comes back as JSON data, never as markup', async () => {
    const script = '<script>alert(document.cookie)</script>';
    const text = `${ARTICLES.clear.text} ${script} A witness said "</script><img src=x onerror=alert(1)>" was written on the wall.`;
    const posted = await raw('/api/v1/documents', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        text,
        title: '<img src=x onerror=alert(1)>',
        url: 'javascript:alert(1)',
        published: PUBLISHED,
        tlp: 'green',
      }),
    });
    expect(posted.status, posted.body).toBe(201);
    const { document_id: id, incidents } = JSON.parse(posted.body) as {
      document_id: string;
      incidents: { id: string }[];
    };
    for (const path of [
      `/api/v1/documents/${id}`,
      '/api/v1/documents',
      `/api/v1/incidents/${incidents[0]?.id}`,
    ]) {
      const reply = await raw(path, { headers: auth() });
      expect(reply.status).toBe(200);
      expect(String(reply.headers['content-type'])).toMatch(/^application\/json/);
      expect(() => JSON.parse(reply.body)).not.toThrow();
    }
    const doc = JSON.parse((await raw(`/api/v1/documents/${id}`, { headers: auth() })).body);
    expect(doc.text).toContain(script);
    expect(doc.title).toBe('<img src=x onerror=alert(1)>');
  });

  it('error messages that echo the URL are JSON too', async () => {
    const reply = await raw('/nothing/<script>alert(1)</script>', { headers: auth() });
    expect(reply.status).toBe(404);
    expect(String(reply.headers['content-type'])).toMatch(/^application\/json/);
  });
});

describe('API-key guessing', () => {
  it('is stopped after 5 failures per address: then even the right key gets 429; other addresses are not', async () => {
    const attacker = '203.0.113.7';
    const guess = (key: string, remoteAddress = attacker, headers: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url: '/api/v1/me', remoteAddress, headers: { ...auth(key), ...headers } });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await guess(`vk_guess_${i}_${'a'.repeat(40)}`)).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect((await guess(admin)).statusCode).toBe(429);
    // A spoofed X-Forwarded-For does not make a new address (no proxy is trusted).
    expect((await guess('vk_x', attacker, { 'x-forwarded-for': '198.51.100.9' })).statusCode).toBe(429);
    expect((await guess(admin, '198.51.100.10')).statusCode).toBe(200);
  });
});

describe('secrets never logged', () => {
  it('no key, guessed or real, and no Authorization header reaches the log, even at trace level', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/keys',
      headers: auth(),
      payload: { role: 'viewer', user: 'vic' },
    });
    expect(created.statusCode).toBe(201);
    const newKey = (JSON.parse(created.body) as { key: string }).key;
    await app.inject({ method: 'GET', url: '/api/v1/me', headers: auth(newKey) });
    await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: auth('vk_wrong_guess_0123456789'),
      remoteAddress: '192.0.2.44',
    });
    await app.inject({ method: 'GET', url: '/api/v1/me', headers: { 'x-api-key': newKey } });
    const all = logs.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const secret of [admin, newKey, 'vk_wrong_guess_0123456789']) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/bearer/i);
  });

  it('a database password is never shown: not in errors, not in the location', async () => {
    const error = await openStore('postgres://vigil:hunter2-secret@127.0.0.1:1/vigil').then(
      () => null,
      (e: unknown) => e as Error & { location?: string },
    );
    expect(error).not.toBeNull();
    expect(error?.message).not.toContain('hunter2-secret');
    expect(String(error?.location)).not.toContain('hunter2-secret');
  });
});
