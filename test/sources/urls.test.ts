import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedDate, parseFeed } from '../../src/sources/feed.js';
import { createFetcher } from '../../src/sources/fetch.js';
import { type ReadOptions, readSources, type SourceResult } from '../../src/sources/index.js';
import { pollFeed } from '../../src/sources/poll.js';
import {
  ARTICLES,
  ATOM_LAST_MODIFIED,
  BILLION_LAUGHS,
  type FeedServer,
  RSS_ETAG,
  startFeedServer,
} from './feed-server.js';

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());

/** The test server is on loopback: allowed by address, for this address alone, as an internal mirror would be. */
const LOOPBACK_ONLY: ReadOptions = {
  fetch: { policy: { allowPrivate: false, allow: ['127.0.0.1'] }, timeoutMs: 3000 },
};

async function read(inputs: string[], options: ReadOptions = LOOPBACK_ONLY): Promise<SourceResult[]> {
  const results: SourceResult[] = [];
  for await (const result of readSources(inputs, options)) results.push(result);
  return results;
}

function documents(results: SourceResult[]) {
  return results.map((r) => {
    if (!r.ok) throw new Error(`${r.input}: ${r.reason}`);
    return r.document;
  });
}

async function refusal(url: string, options: ReadOptions = LOOPBACK_ONLY): Promise<string> {
  const results = await read([url], options);
  expect(results).toHaveLength(1);
  const [result] = results;
  if (result === undefined || result.ok) throw new Error(`${url} was not refused`);
  expect(result.input).toBe(url);
  return result.reason;
}

const hits = (path: string) => server.hits.get(path) ?? 0;

describe('an RSS 2.0 feed', () => {
  it('gives one document per item, each article fetched through the readability pass', async () => {
    const before = hits('/articles/bus-attack.html');
    const docs = documents(await read([`${server.base}/rss.xml`]));
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatchObject({
      title: 'Car bomb kills five at city market',
      url: `${server.base}/articles/market-bomb.html`,
      origin: `${server.base}/articles/market-bomb.html`,
      outlet: 'Test Courier & Wire',
      // The outlet's own offset is kept: the day it meant is the day "on Saturday" resolves against.
      published: '2024-03-23T01:15:00+03:00',
      language: 'eng',
    });
    expect(docs[0]?.text).toContain('A car bomb exploded near a crowded market in Peshawar');
    expect(docs[0]?.text).not.toContain('SUBSCRIBE-NAV-LINK');
    expect(docs[0]?.text).not.toContain('FOOTER-COPYRIGHT');
    // A relative link resolves against the feed's URL.
    expect(docs[1]).toMatchObject({
      url: `${server.base}/articles/bus-attack.html`,
      published: '2024-03-25T08:00:00Z',
    });
    expect(docs[1]?.text).toContain((ARTICLES['bus-attack']?.paragraphs ?? [])[2]);
    expect(hits('/articles/bus-attack.html')).toBe(before + 1);
  });

  it('with fetchArticles off, reads the summaries and fetches no article', async () => {
    const before = hits('/articles/market-bomb.html');
    const docs = documents(
      await read([`${server.base}/rss.xml`], { ...LOOPBACK_ONLY, fetchArticles: false }),
    );
    expect(docs.map((d) => d.text)).toEqual([
      'A car bomb exploded near a market.',
      'Gunmen opened fire on a bus.',
    ]);
    expect(hits('/articles/market-bomb.html')).toBe(before);
  });

  it('is recognised by its root element when the server calls it text/html', async () => {
    const docs = documents(
      await read([`${server.base}/feed-as-html`], { ...LOOPBACK_ONLY, fetchArticles: false }),
    );
    expect(docs.map((d) => d.title)).toEqual([
      'Car bomb kills five at city market',
      'Gunmen attack bus in Kabul',
    ]);
  });

  it('names the host as the outlet when the feed has no title, after --outlet', async () => {
    server.route('/untitled.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<rss version="2.0"><channel><item><title>t</title><description>${ARTICLES['bus-attack']?.paragraphs[0]}</description></item></channel></rss>`,
      );
    });
    const [byHost] = documents(await read([`${server.base}/untitled.xml`]));
    expect(byHost?.outlet).toBe('127.0.0.1');
    const [byOption] = documents(
      await read([`${server.base}/untitled.xml`], { ...LOOPBACK_ONLY, outlet: 'Wire' }),
    );
    expect(byOption?.outlet).toBe('Wire');
  });
});

describe('an Atom feed', () => {
  it('uses the content the feed carries, html and xhtml, without fetching the article', async () => {
    const before = hits('/articles/hotel-siege.html');
    const docs = documents(await read([`${server.base}/atom.xml`]));
    expect(docs).toHaveLength(2);
    expect(docs[0]).toMatchObject({
      title: 'Siege at hotel ends',
      url: `${server.base}/articles/hotel-siege.html`,
      outlet: 'Atom Wire',
      published: '2024-03-27T11:00:00+03:00',
    });
    expect(docs[0]?.text.split('\n\n')).toEqual(ARTICLES['hotel-siege']?.paragraphs);
    expect(docs[1]).toMatchObject({
      title: 'Market bombing follow-up',
      // `published` wins over `updated`.
      published: '2024-03-24T09:00:00Z',
    });
    expect(docs[1]?.text).toContain(
      'Investigators said on Sunday that the car had been stolen & fitted with explosives.',
    );
    expect(hits('/articles/hotel-siege.html')).toBe(before);
  });
});

describe('a single URL', () => {
  it('is one document: the article, the outlet the page names, the URL it was read from', async () => {
    const docs = documents(await read([`${server.base}/story.html`]));
    expect(docs).toEqual([
      expect.objectContaining({
        title: 'Car bomb kills five at city market',
        outlet: 'Test Courier',
        url: `${server.base}/story.html`,
        origin: `${server.base}/story.html`,
      }),
    ]);
  });

  it('follows up to five redirects, relative ones included', async () => {
    const [doc] = documents(await read([`${server.base}/hops?n=4`]));
    expect(doc).toMatchObject({ url: `${server.base}/story.html`, origin: `${server.base}/hops?n=4` });
    expect(await refusal(`${server.base}/hops?n=5`)).toBe('too many redirects (more than 5)');
    expect(await refusal(`${server.base}/redirect-loop`)).toBe('too many redirects (more than 5)');
  });

  it('sends a User-Agent naming Vigil', async () => {
    let agent: string | undefined;
    server.route('/ua', (req, res) => {
      agent = req.headers['user-agent'];
      res.writeHead(404);
      res.end();
    });
    await read([`${server.base}/ua`]);
    expect(agent).toMatch(/^Vigil\b/);
  });
});

describe('fetch failures name the URL and the reason', () => {
  it.each([
    ['/missing', 'HTTP 404 Not Found'],
    ['/broken.xml', 'HTTP 500 Internal Server Error'],
    ['/image.png', 'not HTML or a feed (image/png)'],
    ['/data.json', 'not HTML or a feed (application/json)'],
    ['/not-a-feed.xml', 'not HTML or a feed (XML with root element catalog)'],
  ])('%s: %s', async (path, reason) => {
    expect(await refusal(`${server.base}${path}`)).toBe(reason);
  });

  it('times out on slow headers and on a slow body', async () => {
    const options = { fetch: { ...LOOPBACK_ONLY.fetch, timeoutMs: 500 } };
    const started = Date.now();
    expect(await refusal(`${server.base}/slow`, options)).toBe('timed out after 0.5 s');
    expect(await refusal(`${server.base}/slow-body`, options)).toBe('timed out after 0.5 s');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a body over --max-bytes, declared or streamed, without reading it all', async () => {
    expect(await refusal(`${server.base}/big-declared`)).toBe(
      `too large: ${50 * 1024 * 1024} bytes, over the limit of ${10 * 1024 * 1024} bytes`,
    );
    expect(await refusal(`${server.base}/big-streamed`, { ...LOOPBACK_ONLY, maxBytes: 100_000 })).toBe(
      'too large: over the limit of 100000 bytes',
    );
  });
});

describe('hostile XML', () => {
  it('refuses a billion-laughs feed at once, without expanding it', async () => {
    const heap = process.memoryUsage().heapUsed;
    const started = Date.now();
    expect(await refusal(`${server.base}/lol.xml`)).toMatch(
      /^refused: the feed declares its own XML entities/,
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(50 * 1024 * 1024);
  });

  it('refuses a feed with an external entity: no file is read', async () => {
    expect(await refusal(`${server.base}/xxe.xml`)).toMatch(
      /^refused: the feed declares its own XML entities/,
    );
  });

  it('expands only the five predefined entities and character references', () => {
    const parsed = parseFeed(
      '<rss version="2.0"><channel><title>A &amp; B &lt;C&gt; &#8217;&#x2019; &quot;&apos; &nbsp; &lol;</title></channel></rss>',
      'https://example.org/feed.xml',
    );
    expect(parsed).toMatchObject({ ok: true, feed: { title: 'A & B <C> ’’ "\' &nbsp; &lol;' } });
    expect(parseFeed(BILLION_LAUGHS, 'https://example.org/feed.xml').ok).toBe(false);
  });

  it('reads feed dates: RFC 822 with its offset or zone, RFC 3339 as written, nothing from garbage', () => {
    expect(feedDate('Sat, 23 Mar 2024 01:15:00 +0300')).toBe('2024-03-23T01:15:00+03:00');
    expect(feedDate('Sat, 23 Mar 2024 01:15 EST')).toBe('2024-03-23T01:15:00-05:00');
    expect(feedDate('23 Mar 24 10:00:00 GMT')).toBe('2024-03-23T10:00:00Z');
    expect(feedDate('2024-03-27T11:00:00+03:00')).toBe('2024-03-27T11:00:00+03:00');
    expect(feedDate('yesterday-ish')).toBeNull();
  });
});

describe('SSRF: non-public addresses are refused unless allowed', () => {
  const DEFAULT: ReadOptions = {};

  it.each([
    ['http://127.0.0.1:PORT/story.html', 'refused: 127.0.0.1 is a loopback address'],
    ['http://10.0.0.5/feed.xml', 'refused: 10.0.0.5 is a private address'],
    ['http://169.254.169.254/latest/meta-data/', 'refused: 169.254.169.254 is a link-local address'],
    ['http://[::1]:PORT/story.html', 'refused: ::1 is a loopback address'],
    [
      'http://[::ffff:127.0.0.1]:PORT/story.html',
      'refused: ::ffff:7f00:1 is a loopback address (IPv4-mapped 127.0.0.1)',
    ],
  ])('%s is refused before any connection', async (template, reason) => {
    const before = hits('/story.html');
    const url = template.replace('PORT', String(server.port));
    expect(await refusal(url, DEFAULT)).toBe(reason);
    expect(hits('/story.html')).toBe(before);
  });

  it('refuses a host name that resolves to a loopback address (checked at connection time)', async () => {
    const before = hits('/story.html');
    expect(await refusal(`http://localhost:${server.port}/story.html`, DEFAULT)).toMatch(
      /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/,
    );
    expect(hits('/story.html')).toBe(before);
  });

  it('refuses a redirect from an allowed origin to a forbidden address', async () => {
    const port = server.port;
    const to = (target: string) => `${server.base}/redirect?to=${encodeURIComponent(target)}`;
    expect(await refusal(to('http://10.0.0.5/admin'))).toBe(
      'refused: 10.0.0.5 is a private address (redirected to http://10.0.0.5/admin)',
    );
    expect(await refusal(to(`http://127.0.0.2:${port}/story.html`))).toBe(
      `refused: 127.0.0.2 is a loopback address (redirected to http://127.0.0.2:${port}/story.html)`,
    );
    expect(await refusal(to('http://169.254.169.254/latest/meta-data/'))).toBe(
      'refused: 169.254.169.254 is a link-local address (redirected to http://169.254.169.254/latest/meta-data/)',
    );
    expect(await refusal(to('file:///etc/passwd'))).toBe(
      'unsupported URL scheme file: (redirected to file:///etc/passwd)',
    );
  });

  it('fetches from loopback with allowPrivate (--allow-private)', async () => {
    const docs = documents(
      await read([`http://localhost:${server.port}/story.html`], {
        fetch: { policy: { allowPrivate: true } },
      }),
    );
    expect(docs).toHaveLength(1);
  });
});

describe('conditional GET of a feed', () => {
  it('sends the ETag and Last-Modified back and reports 304 as not modified', async () => {
    const fetcher = createFetcher(LOOPBACK_ONLY.fetch);
    try {
      const first = await pollFeed(`${server.base}/rss.xml`, {}, LOOPBACK_ONLY, fetcher);
      expect(first).toMatchObject({ status: 'fetched', etag: RSS_ETAG });
      const second = await pollFeed(`${server.base}/rss.xml`, { etag: RSS_ETAG }, LOOPBACK_ONLY, fetcher);
      expect(second).toEqual({ status: 'not_modified', etag: RSS_ETAG, lastModified: null });
      expect(server.conditional.get('/rss.xml')).toEqual({ ifNoneMatch: RSS_ETAG });

      const atom = await pollFeed(`${server.base}/atom.xml`, {}, LOOPBACK_ONLY, fetcher);
      expect(atom).toMatchObject({ status: 'fetched', lastModified: ATOM_LAST_MODIFIED });
      const again = await pollFeed(
        `${server.base}/atom.xml`,
        { lastModified: ATOM_LAST_MODIFIED },
        LOOPBACK_ONLY,
        fetcher,
      );
      expect(again.status).toBe('not_modified');
      expect(await pollFeed(`${server.base}/story.html`, {}, LOOPBACK_ONLY, fetcher)).toEqual({
        status: 'error',
        reason: 'not a feed (an HTML page)',
      });
    } finally {
      await fetcher.close();
    }
  });
});
