import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { publicBaseUrl } from '../../src/server/public-url.js';
import { startServer } from '../server/helpers.js';
import { testDialects } from '../store/databases.js';

/* TAXII discovery gives absolute URLs. They were built from the request's Host header, so a client
 * (or whoever sits between it and the server) chose where the discovery document sends the next
 * request. They come from --public-url now, else from the address the server listens on. */

const TAXII = 'application/taxii+json;version=2.1';
const HOSTILE = {
  host: 'evil.example',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'gopher',
  forwarded: 'host=evil.example;proto=https',
};

/** GET with headers as given (fetch would not send another Host). */
function get(base: string, path: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('publicBaseUrl', () => {
  it.each([
    ['https://vigil.example.org', 'https://vigil.example.org'],
    ['https://vigil.example.org/', 'https://vigil.example.org'],
    ['http://10.0.0.5:8080/intel/', 'http://10.0.0.5:8080/intel'],
  ])('takes %s as %s', (value, base) => {
    expect(publicBaseUrl(value)).toBe(base);
  });

  it.each([
    ['vigil.example.org', 'is not a URL'],
    ['ftp://vigil.example.org', 'is not an http or https URL'],
    ['https://user:pw@vigil.example.org', 'must not carry'],
    ['https://vigil.example.org/?a=1', 'must not carry'],
    ['https://vigil.example.org/#top', 'must not carry'],
  ])('refuses %s, naming it', (value, problem) => {
    expect(() => publicBaseUrl(value)).toThrow(`'${value}' ${problem}`);
  });
});

describe.each(testDialects())('TAXII discovery with a hostile Host header on $kind', (dialect) => {
  afterAll(() => dialect.cleanup());

  const discovery = async (options: { publicUrl?: string }) => {
    const running = await startServer(dialect, options);
    try {
      await running.store.access.addOrg('alpha');
      const key = (await running.store.access.createKey({ org: 'alpha', role: 'viewer', user: 'vi' })).key;
      const body = await get(running.url, '/taxii2/', {
        ...HOSTILE,
        accept: TAXII,
        authorization: `Bearer ${key}`,
      });
      return { url: running.url, body };
    } finally {
      await running.close();
    }
  };

  it('gives the address the server listens on, never the Host header', async () => {
    const { url, body } = await discovery({});
    expect(body).not.toContain('evil.example');
    expect(body).not.toContain('gopher');
    expect(JSON.parse(body)).toMatchObject({
      default: `${url}/taxii2/vigil/`,
      api_roots: [`${url}/taxii2/vigil/`],
    });
  });

  it('gives the public URL when one is set', async () => {
    const { body } = await discovery({ publicUrl: 'https://vigil.example.org/intel/' });
    expect(body).not.toContain('evil.example');
    expect(JSON.parse(body)).toMatchObject({
      default: 'https://vigil.example.org/intel/taxii2/vigil/',
      api_roots: ['https://vigil.example.org/intel/taxii2/vigil/'],
    });
  });
});

describe('TAXII discovery of a server bound to every interface', () => {
  it('gives the address the connection came in on', async () => {
    const dialect = testDialects()[0];
    if (dialect === undefined) throw new Error('no SQLite dialect');
    const store = await dialect.open(dialect.fresh());
    const app = await buildServer({ store, log: { level: 'silent' } });
    try {
      await app.listen({ port: 0, host: '0.0.0.0' });
      const port = (app.server.address() as { port: number }).port;
      await store.access.addOrg('alpha');
      const key = (await store.access.createKey({ org: 'alpha', role: 'viewer', user: 'vi' })).key;
      const body = await get(`http://127.0.0.1:${port}`, '/taxii2/', {
        ...HOSTILE,
        accept: TAXII,
        authorization: `Bearer ${key}`,
      });
      expect(JSON.parse(body)).toMatchObject({ api_roots: [`http://127.0.0.1:${port}/taxii2/vigil/`] });
    } finally {
      await app.close();
      await dialect.cleanup();
    }
  });

  it('refuses to build with a public URL that is not one', async () => {
    const dialect = testDialects()[0];
    if (dialect === undefined) throw new Error('no SQLite dialect');
    const store = await dialect.open(dialect.fresh());
    try {
      await expect(buildServer({ store, publicUrl: 'vigil.example.org' })).rejects.toThrow(
        "'vigil.example.org' is not a URL",
      );
    } finally {
      await store.close();
      await dialect.cleanup();
    }
  });
});
