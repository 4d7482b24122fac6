import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readContent } from '../../src/sources/content.js';
import { parseFeed, rootElement } from '../../src/sources/feed.js';
import { htmlFragmentText, htmlToArticle, looksLikeHtml } from '../../src/sources/html.js';
import { readSources, type SourceResult } from '../../src/sources/index.js';
import { articleLines } from '../proof/helpers.js';
import { atomFeed, BILLION_LAUGHS, EXTERNAL_ENTITY, rssFeed } from '../sources/feed-server.js';
import { HOSTILE, mutated, runs, timed, timedAsync } from './mutate.js';

/* Every parser of outside input, fed random and mutated real input: it returns a result or a clear
 * error, never throws, and never takes more than the bound per input. */

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));
const SAMPLE_TEXTS = readdirSync(SAMPLES)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(join(SAMPLES, f), 'utf8'));
const BOILERPLATE = readFileSync(
  fileURLToPath(new URL('../sources/fixtures/article-with-boilerplate.html', import.meta.url)),
  'utf8',
);
const HTML_PAGES = [
  BOILERPLATE,
  ...SAMPLE_TEXTS.slice(0, 4).map(
    (t, i) =>
      `<!doctype html><html><head><title>Story ${i}</title><meta property="og:site_name" content="Wire"><meta property="article:published_time" content="2024-03-25"></head><body><nav><a href="/">Home</a></nav><article>${t
        .split('\n\n')
        .map((p) => `<p>${p}</p>`)
        .join('')}</article><footer>© Wire</footer></body></html>`,
  ),
];
const FEEDS = [rssFeed('http://127.0.0.1:9'), atomFeed('http://127.0.0.1:9')];

/** A reason a person can act on: words, not a stack or `undefined`. */
function expectClear(reason: string): void {
  expect(reason.trim().length).toBeGreaterThan(3);
  expect(reason).not.toMatch(/\[object Object\]|^\s*at /m);
}

const markupUnit = fc.oneof(
  { weight: 5, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom('p', 'div', 'article', 'a', 'script', 'style', 'table', 'td', 'b', 'time', 'meta'),
        fc.boolean(),
        fc.string({ maxLength: 15 }),
      )
      .map(([tag, close, attr]) => (close ? `</${tag}>` : `<${tag} x="${attr}">`)),
  },
  { weight: 2, arbitrary: fc.constantFrom(...SAMPLE_TEXTS.map((t) => t.slice(0, 400))) },
);
const markup = fc.array(markupUnit, { maxLength: 60 }).map((parts) => parts.join(''));

describe('HTML (src/sources/html.ts)', () => {
  const check = (html: string) => {
    const result = timed('htmlToArticle', () => htmlToArticle(html));
    if (result.ok) expect(result.article.text.length).toBeGreaterThanOrEqual(40);
    else expectClear(result.reason);
    timed('htmlFragmentText', () => htmlFragmentText(html));
    const sniffed = timed('readContent', () => readContent(html, 'sniff'));
    if (!sniffed.ok) expectClear(sniffed.reason);
  };

  it('reads random markup without throwing, within the bound', () => {
    fc.assert(fc.property(markup, check), { numRuns: runs(120) });
  });

  it('reads mutated real pages without throwing, within the bound', () => {
    fc.assert(fc.property(mutated(HTML_PAGES), check), { numRuns: runs(120) });
  });

  it('refuses pages nested too deeply for Readability, at once (was minutes, then a stack overflow)', () => {
    for (const tag of ['div', 'b', 'span', 'table><tr><td']) {
      const html = `<${tag}>`.repeat(5000) + SAMPLE_TEXTS[0];
      const result = timed(`${tag} × 5,000`, () => htmlToArticle(html));
      expect(result).toEqual({ ok: false, reason: 'HTML nested too deeply (over 256 levels of elements)' });
    }
    // A page nested as deep as real ones are is still read.
    const page = `${'<div>'.repeat(60)}<p>${SAMPLE_TEXTS[0]}</p>${'</div>'.repeat(60)}`;
    expect(timed('60 levels', () => htmlToArticle(page)).ok).toBe(true);
  });

  it('tells markup from prose in linear time (was quadratic: 160,000 × "<a " took two minutes)', () => {
    expect(timed('looksLikeHtml', () => looksLikeHtml('<a '.repeat(300_000)))).toBe(false);
    expect(timed('looksLikeHtml', () => looksLikeHtml(`${'<a '.repeat(300_000)}<p>`))).toBe(true);
    fc.assert(
      fc.property(fc.string({ maxLength: 2000 }), (s) => {
        timed('looksLikeHtml', () => looksLikeHtml(s));
      }),
      { numRuns: runs(300) },
    );
  });
});

const xmlName = fc.constantFrom(
  'rss',
  'channel',
  'item',
  'title',
  'link',
  'guid',
  'description',
  'content:encoded',
  'pubDate',
  'dc:date',
  'feed',
  'entry',
  'id',
  'summary',
  'content',
  'published',
  'updated',
  'rdf:RDF',
  'x',
);
const xmlText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(...HOSTILE.filter((h) => h.length < 100)),
);
const { tree: xmlTree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    xmlText,
    fc
      .tuple(
        xmlName,
        fc.array(
          fc.tuple(fc.constantFrom('href', 'rel', 'type', 'isPermaLink'), fc.string({ maxLength: 20 })),
          {
            maxLength: 3,
          },
        ),
        fc.array(tie('tree'), { maxLength: 5 }),
      )
      .map(
        ([name, attrs, kids]) =>
          `<${name}${attrs.map(([k, v]) => ` ${k}="${v.replaceAll('"', '')}"`).join('')}>${(kids as string[]).join('')}</${name}>`,
      ),
  ),
}));

describe('RSS and Atom (src/sources/feed.ts)', () => {
  const check = (xml: string) => {
    timed('rootElement', () => rootElement(xml));
    const result = timed('parseFeed', () => parseFeed(xml, 'https://feeds.example.org/world.xml'));
    if (!result.ok) {
      expectClear(result.reason);
      return;
    }
    for (const entry of result.feed.entries) {
      expect(entry.key.length).toBeGreaterThan(0);
      if (entry.link !== null) expect(entry.link).toMatch(/^https?:\/\//);
      if (entry.published !== null) expect(Number.isNaN(Date.parse(entry.published))).toBe(false);
    }
  };

  it('parses random XML trees without throwing, within the bound', () => {
    fc.assert(fc.property(xmlTree, check), { numRuns: runs(300) });
  });

  it('parses mutated real feeds without throwing, within the bound', () => {
    fc.assert(fc.property(mutated(FEEDS), check), { numRuns: runs(300) });
  });

  it('refuses every feed that declares entities (billion laughs, external, parameter), however written', () => {
    const declaration = fc.constantFrom(
      '<!ENTITY lol "lol">',
      '<!entity lol "lol">',
      '<!ENTITY  % p SYSTEM "file:///etc/passwd"> %p;',
      '<!ENTITY xxe SYSTEM "http://169.254.169.254/latest/meta-data/">',
      '<!ENTITY a "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY b "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY c "ha">',
    );
    const prolog = fc.constantFrom(
      '',
      '<?xml version="1.0"?>\n',
      '\uFEFF<?xml version="1.0"?><!-- c -->\n',
      ' \n',
    );
    fc.assert(
      fc.property(
        prolog,
        fc.constantFrom('DOCTYPE', 'doctype', 'DocType'),
        fc.constantFrom('rss', 'feed', 'rdf:RDF'),
        declaration,
        fc.mapToConstant({ num: 3, build: (i) => ['', ' ', '\n\t'][i] as string }),
        (head, doctype, root, entity, gap) => {
          const xml = `${head}<!${doctype} ${root} [${gap}${entity}${gap}]><${root}><channel><title>&lol;&xxe;&a;</title></channel></${root}>`;
          const result = timed('parseFeed', () => parseFeed(xml, 'https://feeds.example.org/x.xml'));
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.reason).toMatch(/declares its own XML entities/);
        },
      ),
      { numRuns: runs(100) },
    );
    for (const xml of [BILLION_LAUGHS, EXTERNAL_ENTITY]) {
      const result = timed('parseFeed', () => parseFeed(xml, 'https://feeds.example.org/x.xml'));
      expect(result.ok).toBe(false);
    }
  });

  it('leaves undeclared entity references unexpanded and never reads a file', () => {
    const xml = `<rss><channel><title>&xxe; &amp; &#65; &#x42;</title><item><title>&passwd;</title><link>file:///etc/passwd</link><description>x</description></item></channel></rss>`;
    const result = parseFeed(xml, 'https://feeds.example.org/x.xml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.feed.title).toBe('&xxe; & A B');
    expect(result.feed.entries[0]?.link).toBeNull();
    expect(JSON.stringify(result.feed)).not.toMatch(/root:/);
  });
});

describe('JSON Lines (src/sources/jsonl.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fuzz-jsonl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const real = articleLines();
  const line = fc.oneof(
    { weight: 3, arbitrary: mutated(real.slice(0, 30)) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 3 }) },
    {
      weight: 2,
      arbitrary: fc
        .record(
          {
            text: fc.oneof(
              fc.string({ maxLength: 200 }),
              fc.constantFrom(...SAMPLE_TEXTS.map((t) => t.slice(0, 600))),
            ),
            title: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
            url: fc.oneof(fc.webUrl(), fc.string(), fc.constant(null)),
            source: fc.oneof(fc.string(), fc.constant(null)),
            published: fc.oneof(
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
              fc.string(),
            ),
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 100, unit: 'binary' }) },
  );
  let n = 0;

  it('reads random and mutated lines: a document or a clear error per line, within the bound', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), async (lines) => {
        n += 1;
        const file = join(dir, `in-${n}.jsonl`);
        writeFileSync(file, lines.join('\n'));
        const results: SourceResult[] = await timedAsync('readSources', async () => {
          const out: SourceResult[] = [];
          for await (const r of readSources([file], { maxBytes: 64 * 1024 })) out.push(r);
          return out;
        });
        expect(results.length).toBeGreaterThan(0);
        let last = 0;
        for (const r of results) {
          if (r.ok) {
            expect(r.document.text.trim()).not.toBe('');
            expect(r.document.id).toMatch(/^[0-9a-f]{16,}$/);
            const at = Number(r.document.origin.slice(file.length + 1));
            expect(at).toBeGreaterThan(last);
            last = at;
          } else expectClear(r.reason);
        }
      }),
      { numRuns: runs(60) },
    );
  });

  it('refuses a line over --max-bytes without parsing it', async () => {
    const file = join(dir, 'huge.jsonl');
    writeFileSync(file, `${JSON.stringify({ text: 'x'.repeat(3_000_000) })}\n${real[0]}\n`);
    const results = await timedAsync('readSources', async () => {
      const out: SourceResult[] = [];
      for await (const r of readSources([file], { maxBytes: 1_000_000 })) out.push(r);
      return out;
    });
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(results[0]?.ok === false && results[0].reason).toMatch(/^line too large: 3000011 bytes/);
  });
});
