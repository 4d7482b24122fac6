import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/sources/fetch.js';
import { type ReadOptions, readSources } from '../../src/sources/index.js';

/* SSRF, beyond test/sources/urls.test.ts: every other spelling of a loopback, private, link-local
 * or mapped address; names that resolve to them; redirects to all of those from an allowed origin;
 * credentials not carried across origins; a decompression bomb. A "victim" server listens on
 * 127.0.0.1 and counts every request: it must never see one. A stand-in for a public site listens
 * on 127.0.0.2, the only address the tests allow. */

interface Listening {
  readonly server: Server;
  readonly port: number;
  readonly requests: { url: string; headers: IncomingHttpHeaders }[];
}

function listen(host: string, handler: (url: URL, res: import('node:http').ServerResponse) => void) {
  return new Promise<Listening>((resolve, reject) => {
    const requests: Listening['requests'] = [];
    const server = createServer((req, res) => {
      requests.push({ url: req.url ?? '/', headers: req.headers });
      handler(new URL(req.url ?? '/', 'http://x'), res);
    });
    server.on('error', reject);
    server.listen(0, host, () => resolve({ server, port: (server.address() as AddressInfo).port, requests }));
  });
}

let victim: Listening;
let site: Listening;
const BOMB = gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '));

beforeAll(async () => {
  victim = await listen('127.0.0.1', (_url, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body><p>SECRET internal admin page, never to be read by Vigil at all.</p></body></html>');
  });
  site = await listen('127.0.0.2', (url, res) => {
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      res.end();
    } else if (url.pathname === '/bomb') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.end(BOMB);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body><p>hello</p></body></html>');
    }
  });
});
afterAll(async () => {
  await new Promise((r) => victim.server.close(r));
  await new Promise((r) => site.server.close(r));
});

const ALLOW_SITE: ReadOptions = {
  fetch: { policy: { allowPrivate: false, allow: ['127.0.0.2'] }, timeoutMs: 5000 },
};

async function reason(url: string, options: ReadOptions = {}): Promise<string> {
  const before = victim.requests.length;
  const results = [];
  for await (const r of readSources([url], options)) results.push(r);
  expect(results).toHaveLength(1);
  const [result] = results;
  if (result === undefined || result.ok) throw new Error(`${url} was read`);
  expect(victim.requests.length, `${url} reached the victim`).toBe(before);
  return result.reason;
}

describe('SSRF: other spellings of non-public addresses', () => {
  it.each([
    ['http://0.0.0.0:T/', /^refused: 0\.0\.0\.0 is an unspecified address$/],
    ['http://0:T/', /^refused: 0\.0\.0\.0 is an unspecified address$/],
    ['http://2130706433:T/', /^refused: 127\.0\.0\.1 is a loopback address$/],
    ['http://0x7f000001:T/', /^refused: 127\.0\.0\.1 is a loopback address$/],
    ['http://0177.0.0.1:T/', /^refused: 127\.0\.0\.1 is a loopback address$/],
    ['http://127.1:T/', /^refused: 127\.0\.0\.1 is a loopback address$/],
    ['http://user:pass@127.0.0.1:T/', /^refused: 127\.0\.0\.1 is a loopback address$/],
    ['http://[::]:T/', /^refused: :: is an unspecified address$/],
    ['http://[0:0:0:0:0:ffff:7f00:1]:T/', /^refused: .* \(IPv4-mapped 127\.0\.0\.1\)$/],
    ['http://[::ffff:169.254.169.254]/', /^refused: .*link-local.*\(IPv4-mapped 169\.254\.169\.254\)$/],
    ['http://[::ffff:a9fe:a9fe]/', /^refused: .*link-local/],
    ['http://[fe80::1]/', /^refused: fe80::1 is a link-local address$/],
    ['http://[fd00:ec2::254]/', /^refused: fd00:ec2::254 is a unique-local address$/],
    ['http://[64:ff9b::7f00:1]/', /^refused: 64:ff9b::7f00:1 is a special-purpose address/],
    ['http://[2002:7f00:1::]/', /^refused: 2002:7f00:1:: is a special-purpose address/],
    ['http://100.100.100.200/', /^refused: .*carrier-grade NAT/],
    ['http://192.168.0.1/', /^refused: 192\.168\.0\.1 is a private address$/],
    ['http://172.31.255.255/', /^refused: 172\.31\.255\.255 is a private address$/],
    ['http://198.18.0.1/', /^refused: 198\.18\.0\.1 is a/],
    ['http://240.0.0.1/', /^refused: 240\.0\.0\.1 is a reserved address$/],
  ])('%s is refused before any connection', async (template, expected) => {
    expect(await reason(template.replace(':T', `:${victim.port}`))).toMatch(expected);
  });

  it.each(['localhost', 'LOCALHOST', 'LocalHost'])(
    'the name %s is refused by the address it resolves to',
    async (name) => {
      expect(await reason(`http://${name}:${victim.port}/`, ALLOW_SITE)).toBe(
        'refused: localhost resolves to 127.0.0.1, a loopback address',
      );
    },
  );

  it('a name that does not resolve is an error, and nothing is reached', async () => {
    expect(await reason(`http://localhost.invalid:${victim.port}/`)).toMatch(/host not found/);
  });
});

describe('SSRF: redirects from an allowed site', () => {
  const via = (to: string) => `http://127.0.0.2:${site.port}/redirect?to=${encodeURIComponent(to)}`;

  it.each([
    'http://localhost:T/admin',
    'http://127.0.0.1:T/admin',
    'http://2130706433:T/admin',
    'http://0x7f.1:T/admin',
    'http://[::ffff:127.0.0.1]:T/admin',
    'http://[::1]:T/admin',
    'http://0.0.0.0:T/admin',
    'http://169.254.169.254/latest/meta-data/iam/',
    'http://[fd00:ec2::254]/latest/meta-data/',
  ])('to %s is refused', async (template) => {
    const target = template.replace(':T', `:${victim.port}`);
    expect(await reason(via(target), ALLOW_SITE)).toMatch(/^refused: .*\(redirected to /);
  });

  it.each(['file:///etc/passwd', 'gopher://127.0.0.1:T/_x', 'ftp://127.0.0.1/', 'data:text/html,<p>x</p>'])(
    'to the scheme of %s is refused',
    async (template) => {
      const target = template.replace(':T', `:${victim.port}`);
      expect(await reason(via(target), ALLOW_SITE)).toMatch(/^unsupported URL scheme [a-z]+:/);
    },
  );

  it('through a chain of redirects is refused at the hop that leaves the allowed address', async () => {
    const inner = via(`http://localhost:${victim.port}/admin`);
    expect(await reason(via(via(inner)), ALLOW_SITE)).toBe(
      `refused: localhost resolves to 127.0.0.1, a loopback address (redirected to http://localhost:${victim.port}/admin)`,
    );
  });

  it('request headers such as Authorization go to the first origin only, never where a redirect leads', async () => {
    const fetcher = createFetcher({
      policy: { allowPrivate: false, allow: ['127.0.0.1', '127.0.0.2'] },
      timeoutMs: 5000,
    });
    try {
      const before = victim.requests.length;
      const result = await fetcher.fetch(via(`http://127.0.0.1:${victim.port}/landing`), {
        maxBytes: 100_000,
        headers: { authorization: 'Bearer feed-secret-token' },
      });
      expect(result.ok).toBe(true);
      const landed = victim.requests.slice(before);
      expect(landed).toHaveLength(1);
      expect(landed[0]?.headers.authorization).toBeUndefined();
      expect(site.requests.at(-1)?.headers.authorization).toBe('Bearer feed-secret-token');
    } finally {
      await fetcher.close();
    }
  });
});

describe('decompression bomb', () => {
  it('a 50 MB gzip body (50 KB on the wire) over --max-bytes is refused without inflating it all', async () => {
    const before = process.memoryUsage().rss;
    expect(await reason(`http://127.0.0.2:${site.port}/bomb`, { ...ALLOW_SITE, maxBytes: 1_000_000 })).toBe(
      'too large: over the limit of 1000000 bytes once decompressed',
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });
});
