import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../store/databases.js';
import { call, type Running, startServer } from './helpers.js';
import { TAXII } from './taxii-helpers.js';

/* What /api/v1 and /taxii2 answer carries marked data or depends on the caller's key, errors
 * included: no cache may keep it (Cache-Control: no-store) or hand one key's answer to another
 * (Vary: Authorization). The dashboard's files keep their own caching. */

describe.each(testDialects())('caching of answers on $kind', (dialect) => {
  let running: Running;
  let viewer: string;
  const web = mkdtempSync(join(tmpdir(), 'vigil-web-'));

  beforeAll(async () => {
    mkdirSync(join(web, 'assets'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Vigil</title>');
    writeFileSync(join(web, 'assets', 'app-1234.js'), 'console.log(1)');
    running = await startServer(dialect, { webRoot: web });
    await running.store.access.addOrg('alpha');
    viewer = (await running.store.access.createKey({ org: 'alpha', role: 'viewer', user: 'vi' })).key;
  });
  afterAll(async () => {
    await running?.close();
    await dialect.cleanup();
    rmSync(web, { recursive: true, force: true });
  });

  const keys = () => ({ none: null, viewer, bad: 'vgl_not-a-key' });

  it.each([
    ['GET', '/api/v1/me', 'viewer', 200],
    ['GET', '/api/v1/incidents?limit=5', 'viewer', 200],
    ['GET', '/api/v1/export/incidents.csv', 'viewer', 200],
    ['GET', '/api/v1/brief?format=md', 'viewer', 200],
    ['GET', '/api/v1/incidents?limit=0', 'viewer', 400],
    ['GET', '/api/v1/incidents/%zz', 'viewer', 400],
    ['GET', '/api/v1/incidents', 'none', 401],
    ['GET', '/api/v1/incidents', 'bad', 401],
    ['POST', '/api/v1/documents', 'viewer', 403],
    ['GET', '/api/v1/incidents/0000000000', 'viewer', 404],
    ['GET', '/api/v1/no-such-route', 'viewer', 404],
    ['GET', '/taxii2/', 'viewer', 200],
    ['GET', '/taxii2/vigil/collections/', 'viewer', 200],
    ['GET', '/taxii2/vigil/collections/', 'none', 401],
    ['POST', '/taxii2/vigil/collections/all/objects/', 'viewer', 403],
    ['GET', '/taxii2/vigil/collections/nope/', 'viewer', 404],
    ['GET', '/taxii2/no-such-route/', 'viewer', 404],
  ] as const)(
    '%s %s (%s key) answers %i with no-store and Vary: Authorization',
    async (method, path, who, status) => {
      const post = method === 'POST';
      const taxii = path.startsWith('/taxii2');
      const body = post
        ? taxii
          ? JSON.stringify({ objects: [] })
          : { text: 'A bomb exploded.' }
        : undefined;
      const reply = await call(running.url, method, path, keys()[who], body, {
        ...(taxii ? { accept: TAXII } : {}),
        ...(taxii && post ? { 'content-type': TAXII } : {}),
      });
      expect(reply.status, reply.text).toBe(status);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.headers.get('vary')).toBe('Authorization');
    },
  );

  it('keeps the caching of the dashboard files and of the health check', async () => {
    const page = await call(running.url, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const asset = await call(running.url, 'GET', '/assets/app-1234.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await call(running.url, 'GET', '/healthz')).headers.get('cache-control')).toBeNull();
  });
});
