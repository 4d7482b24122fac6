import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentDisposition } from '../../src/server/content-disposition.js';
import { testDialects } from '../store/databases.js';
import { call, type Running, startServer } from './helpers.js';

/* A brief's filename carries the group name the caller asked for: it must neither break the header
 * (a 500 for a name outside Latin-1) nor add parameters to it (`"; filename="x.html`). */

/** The parameters of a Content-Disposition value as a client reads them: name → every value given,
 * quoted strings unescaped, `;` inside quotes kept. */
function parameters(header: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const param = /;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/gy;
  const type = /^[^;]*/.exec(header)?.[0] ?? '';
  param.lastIndex = type.length;
  for (let m = param.exec(header); m !== null; m = param.exec(header)) {
    const [, name = '', raw = ''] = m;
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw.trim();
    out.set(name.toLowerCase(), [...(out.get(name.toLowerCase()) ?? []), value]);
    if (param.lastIndex === header.length) break;
  }
  expect(param.lastIndex, `${header} parses to its end`).toBe(header.length);
  return out;
}

const decodeExtended = (value: string) => {
  expect(value.startsWith("UTF-8''")).toBe(true);
  return decodeURIComponent(value.slice("UTF-8''".length));
};

describe('contentDisposition', () => {
  it('keeps a plain name as it is, in both parameters', () => {
    expect(contentDisposition('attachment', 'vigil-incidents.csv')).toBe(
      `attachment; filename="vigil-incidents.csv"; filename*=UTF-8''vigil-incidents.csv`,
    );
  });

  it.each([
    'vigil-brief-discovered:ан-нусра "; filename="x.html.html',
    'a\\b";c=d%41\r\nSet-Cookie: x=1.md',
    'emoji 🚩 and a lone \ud800 surrogate.html',
    "quote ' star * (parens).md",
  ])('gives one ASCII filename and one filename* that decodes to the name: %s', (name) => {
    const header = contentDisposition('inline', name);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(header.startsWith('inline;')).toBe(true);
    const params = parameters(header);
    expect([...params.keys()].sort()).toEqual(['filename', 'filename*']);
    expect(params.get('filename')).toHaveLength(1);
    expect(params.get('filename*')).toHaveLength(1);
    expect(params.get('filename')?.[0]).toMatch(/^[^"\\;%]*$/);
    expect(decodeExtended(params.get('filename*')?.[0] ?? '')).toBe(
      Buffer.from(name, 'utf8').toString('utf8'),
    );
  });
});

describe.each(testDialects())('filenames in responses on $kind', (dialect) => {
  let running: Running;
  let key: string;

  beforeAll(async () => {
    running = await startServer(dialect);
    await running.store.access.addOrg('alpha');
    key = (await running.store.access.createKey({ org: 'alpha', role: 'viewer', user: 'vi' })).key;
  });
  afterAll(async () => {
    await running?.close();
    await dialect.cleanup();
  });

  it('answers a brief on a group named by a Cyrillic alias with one filename and one filename*', async () => {
    for (const format of ['html', 'md']) {
      const reply = await call(running.url, 'GET', `/api/v1/brief?format=${format}&group=ИГИЛ`, key);
      expect(reply.status, reply.text).toBe(200);
      const params = parameters(reply.headers.get('content-disposition') ?? '');
      expect(params.get('filename')).toEqual([`vigil-brief-islamic-state.${format}`]);
      expect(params.get('filename*')?.map(decodeExtended)).toEqual([`vigil-brief-islamic-state.${format}`]);
    }
  });

  it('refuses a discovered group id that extraction could not have made, quotes and all, with 400', async () => {
    const group = 'discovered:Ан-Нусра "; filename="x.html';
    const reply = await call(running.url, 'GET', `/api/v1/brief?group=${encodeURIComponent(group)}`, key);
    expect(reply.status, reply.text).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'unknown_group' } });
    expect(reply.headers.get('content-disposition')).toBeNull();
  });

  it('refuses an unknown group in Cyrillic with 400, as any unknown group', async () => {
    const reply = await call(
      running.url,
      'GET',
      `/api/v1/brief?group=${encodeURIComponent('Ан-Нусра')}`,
      key,
    );
    expect(reply.status, reply.text).toBe(400);
    expect(reply.body).toMatchObject({ error: { code: 'unknown_group' } });
  });

  it.each(['csv', 'geojson'])('names the %s export in both parameters', async (format) => {
    const reply = await call(running.url, 'GET', `/api/v1/export/incidents.${format}`, key);
    expect(reply.status, reply.text).toBe(200);
    const params = parameters(reply.headers.get('content-disposition') ?? '');
    expect(params.get('filename')).toEqual([`vigil-incidents.${format}`]);
    expect(params.get('filename*')).toEqual([`UTF-8''vigil-incidents.${format}`]);
  });
});
