import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 serving feeds, articles and misbehaviour (redirects, slowness,
 * huge bodies, hostile XML) for the feed and URL tests. Nothing in the tests leaves 127.0.0.1.
 */
export interface FeedServer {
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  readonly port: number;
  /** How often each path (without query) was requested. */
  readonly hits: Map<string, number>;
  /** Conditional headers received, per path, last request first. */
  readonly conditional: Map<string, { ifNoneMatch?: string; ifModifiedSince?: string }>;
  /** Changes what a path answers (or adds a path). */
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, server: FeedServer) => void;

export const ARTICLES: Readonly<Record<string, { title: string; paragraphs: string[] }>> = {
  'market-bomb': {
    title: 'Car bomb kills five at city market',
    paragraphs: [
      'A car bomb exploded near a crowded market in Peshawar on Saturday morning, killing five people and wounding at least twelve others, police officials said.',
      'No group has immediately claimed responsibility for the attack, which came three days after a similar blast at a bus station on the outskirts of the city.',
      'Security forces sealed off the area and the wounded were taken to two nearby hospitals.',
    ],
  },
  'bus-attack': {
    title: 'Gunmen attack bus in Kabul',
    paragraphs: [
      'Gunmen opened fire on a bus carrying government employees in Kabul on Monday, killing three people and wounding seven, the interior ministry said.',
      'The attackers fled the scene before police arrived, a spokesman for the ministry told reporters.',
      'Residents said the gunfire lasted several minutes and that the bus had stopped at a checkpoint.',
    ],
  },
  'hotel-siege': {
    title: 'Siege at hotel ends',
    paragraphs: [
      'Security forces ended a siege at a hotel in Mogadishu on Wednesday after militants stormed the building, killing nine people, officials said.',
      'Al-Shabaab claimed responsibility for the attack in a statement on its radio station.',
      'Police said four attackers were killed in the operation, which lasted more than six hours.',
    ],
  },
};

/** An article page with navigation and a footer around the story, as a news site serves it. */
export function articlePage(slug: string): string {
  const article = ARTICLES[slug];
  if (!article) throw new Error(`no article ${slug}`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${article.title} | Test Courier</title>
<meta property="og:site_name" content="Test Courier"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> SUBSCRIBE-NAV-LINK</nav>
<main><article><h1>${article.title}</h1>${article.paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article></main>
<footer>FOOTER-COPYRIGHT Test Courier</footer></body></html>`;
}

export const RSS_ETAG = '"rss-v1"';
export const ATOM_LAST_MODIFIED = 'Sat, 23 Mar 2024 10:00:00 GMT';

/** An RSS 2.0 feed of two summaries linking to their articles. */
export function rssFeed(base: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Test Courier &amp; Wire</title>
  <link>${base}/</link>
  <description>World news</description>
  <item>
    <title>Car bomb kills five at city market</title>
    <link>${base}/articles/market-bomb.html</link>
    <guid isPermaLink="false">courier-1</guid>
    <pubDate>Sat, 23 Mar 2024 01:15:00 +0300</pubDate>
    <description>&lt;p&gt;A car bomb exploded near a market.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Gunmen attack bus in Kabul</title>
    <link>/articles/bus-attack.html</link>
    <guid>${base}/articles/bus-attack.html</guid>
    <pubDate>Mon, 25 Mar 2024 08:00:00 GMT</pubDate>
    <description><![CDATA[<p>Gunmen opened fire on a bus.</p>]]></description>
  </item>
</channel>
</rss>`;
}

/** An Atom feed: one entry with the whole article as HTML content, one with XHTML content. */
export function atomFeed(base: string): string {
  const siege = ARTICLES['hotel-siege'] as { paragraphs: string[] };
  const market = ARTICLES['market-bomb'] as { paragraphs: string[] };
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Atom Wire</title>
  <id>urn:test:atom-wire</id>
  <updated>2024-03-27T12:00:00Z</updated>
  <entry>
    <title>Siege at hotel ends</title>
    <id>urn:test:siege</id>
    <link rel="alternate" type="text/html" href="${base}/articles/hotel-siege.html"/>
    <updated>2024-03-27T11:00:00+03:00</updated>
    <content type="html">${siege.paragraphs.map((p) => `&lt;p&gt;${p}&lt;/p&gt;`).join('')}</content>
  </entry>
  <entry>
    <title type="html">Market &lt;em&gt;bombing&lt;/em&gt; follow-up</title>
    <id>urn:test:market-follow-up</id>
    <link href="${base}/articles/market-follow-up.html"/>
    <published>2024-03-24T09:00:00Z</published>
    <updated>2024-03-25T09:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Follow-up: ${market.paragraphs[0]}</p><p>Investigators <b>said</b> on Sunday that the car had been stolen &amp; fitted with explosives.</p></div></content>
  </entry>
</feed>`;
}

export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>`;

export const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>Leak</title><item><title>&secret;</title><description>&secret;</description></item></channel></rss>`;

const send =
  (type: string, body: string | ((base: string) => string), headers: Record<string, string> = {}): Handler =>
  (_req, res, server) => {
    res.writeHead(200, { 'content-type': type, ...headers });
    res.end(typeof body === 'function' ? body(server.base) : body);
  };

function defaultRoutes(): Map<string, Handler> {
  const routes = new Map<string, Handler>();
  routes.set('/rss.xml', (req, res, server) => {
    if (req.headers['if-none-match'] === RSS_ETAG) {
      res.writeHead(304, { etag: RSS_ETAG });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: RSS_ETAG });
    res.end(rssFeed(server.base));
  });
  routes.set('/atom.xml', (req, res, server) => {
    if (req.headers['if-modified-since'] === ATOM_LAST_MODIFIED) {
      res.writeHead(304, { 'last-modified': ATOM_LAST_MODIFIED });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/atom+xml', 'last-modified': ATOM_LAST_MODIFIED });
    res.end(atomFeed(server.base));
  });
  for (const slug of Object.keys(ARTICLES)) {
    routes.set(`/articles/${slug}.html`, send('text/html; charset=utf-8', articlePage(slug)));
  }
  routes.set('/story.html', send('text/html; charset=utf-8', articlePage('market-bomb')));
  // Served as text/html, as some servers label everything.
  routes.set('/feed-as-html', send('text/html', rssFeed));
  routes.set('/lol.xml', send('application/rss+xml', BILLION_LAUGHS));
  routes.set('/xxe.xml', send('application/rss+xml', EXTERNAL_ENTITY));
  routes.set('/image.png', send('image/png', '\x89PNG\r\n\x1a\n'));
  routes.set('/data.json', send('application/json', '{"not": "a page"}'));
  routes.set('/not-a-feed.xml', send('application/xml', '<?xml version="1.0"?><catalog><book/></catalog>'));
  routes.set('/broken.xml', (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('internal error');
  });
  routes.set('/redirect-loop', (_req, res) => {
    res.writeHead(302, { location: '/redirect-loop' });
    res.end();
  });
  // /hops?n=3 redirects three times (relative Locations), then to /story.html.
  routes.set('/hops', (req, res) => {
    const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n') ?? '0');
    res.writeHead(n > 0 ? 301 : 302, { location: n > 0 ? `/hops?n=${n - 1}` : '/story.html' });
    res.end();
  });
  // /redirect?to=URL: one redirect to anywhere, the way a hostile page points at an internal address.
  routes.set('/redirect', (req, res) => {
    res.writeHead(302, { location: new URL(req.url ?? '/', 'http://x').searchParams.get('to') ?? '/' });
    res.end();
  });
  // Headers only after 5 s: longer than any timeout the tests set.
  routes.set('/slow', (_req, res) => {
    const timer = setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(articlePage('market-bomb'));
    }, 5000);
    res.on('close', () => clearTimeout(timer));
  });
  // Headers at once, then the body trickles.
  routes.set('/slow-body', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write('<html><body><p>');
    const timer = setInterval(() => res.write('more '), 200);
    res.on('close', () => clearInterval(timer));
  });
  // Says how big it is: refused before the body is read.
  routes.set('/big-declared', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) });
    res.write('<html>');
    // Never finishes: the client must stop by itself.
  });
  // Chunked, no length: refused while reading, once over the limit.
  routes.set('/big-streamed', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = `<p>${'x'.repeat(16 * 1024)}</p>`;
    let sent = 0;
    const pump = () => {
      while (sent < 2000) {
        sent++;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => {
      sent = Number.POSITIVE_INFINITY;
    });
    pump();
  });
  return routes;
}

/** Starts the server on an ephemeral port of 127.0.0.1. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = defaultRoutes();
  const hits = new Map<string, number>();
  const conditional = new Map<string, { ifNoneMatch?: string; ifModifiedSince?: string }>();
  let self: FeedServer | undefined;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    conditional.set(path, {
      ...(inm === undefined ? {} : { ifNoneMatch: String(inm) }),
      ...(ims === undefined ? {} : { ifModifiedSince: String(ims) }),
    });
    const handler = routes.get(path);
    if (handler === undefined || self === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    handler(req, res, self);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  self = {
    base: `http://127.0.0.1:${port}`,
    port,
    hits,
    conditional,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return self;
}
