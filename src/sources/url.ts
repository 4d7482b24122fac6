import type { SourceResult } from './document.js';
import { type Feed, type FeedEntry, isFeedRoot, parseFeed, rootElement } from './feed.js';
import type { Fetcher, FetchResult } from './fetch.js';
import { htmlFragmentText, htmlToArticle, looksLikeHtml } from './html.js';
import { makeDocument } from './make-document.js';
import type { ResolvedOptions } from './options.js';

export const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5';
const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.5';

/** True for an input that names a URL rather than a path. */
export function isUrlInput(input: string): boolean {
  return /^https?:\/\//i.test(input);
}

/** What a fetched body is, decided by its content type and, when that is vague, its root element. */
export type Fetched =
  | { readonly kind: 'feed'; readonly url: string; readonly text: string }
  | { readonly kind: 'page'; readonly url: string; readonly text: string }
  | { readonly kind: 'error'; readonly reason: string };

/**
 * One URL: an HTML page is one document, a feed one per entry (each entry's article fetched when
 * the feed gives only a summary, unless `fetchArticles` is off). Every failure is a result naming
 * the URL.
 */
export async function* readUrl(
  url: string,
  options: ResolvedOptions,
  fetcher: Fetcher,
): AsyncGenerator<SourceResult> {
  const fetched = classify(await fetcher.fetch(url, { maxBytes: options.maxBytes, accept: FEED_ACCEPT }));
  if (fetched.kind === 'error') {
    yield { ok: false, input: url, reason: fetched.reason };
    return;
  }
  if (fetched.kind === 'page') {
    yield pageDocument(fetched.text, fetched.url, url, options);
    return;
  }
  const parsed = parseFeed(fetched.text, fetched.url);
  if (!parsed.ok) {
    yield { ok: false, input: url, reason: parsed.reason };
    return;
  }
  for (const entry of parsed.feed.entries) {
    yield await entryDocument(entry, parsed.feed, fetched.url, options, fetcher);
  }
}

/** A fetch's body as a feed or a page, or why it is neither. */
export function classify(result: FetchResult): Fetched {
  if (!result.ok) return { kind: 'error', reason: result.reason };
  if (result.notModified)
    return { kind: 'error', reason: 'HTTP 304 Not Modified to an unconditional request' };
  if (result.body.length === 0) return { kind: 'error', reason: 'empty response' };
  const mime = (result.contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (result.body.subarray(0, 8192).includes(0))
    return { kind: 'error', reason: `not HTML or a feed (${mime || 'no content type'}, binary)` };
  const text = decodeBody(result.body, result.contentType);
  const root = rootElement(text);
  const feedType = /^application\/(rss|atom|rdf)\+xml$/.test(mime);
  const xmlType = mime === 'text/xml' || mime === 'application/xml' || (mime.endsWith('+xml') && !feedType);
  const htmlType = mime === 'text/html' || mime === 'application/xhtml+xml';
  const vague = mime === '' || mime === 'text/plain' || mime === 'application/octet-stream';
  // Servers label feeds text/html or text/plain often enough that the root element decides.
  if (isFeedRoot(root) && (feedType || xmlType || htmlType || vague))
    return { kind: 'feed', url: result.url, text };
  if (feedType)
    return { kind: 'error', reason: `not an RSS or Atom feed (root element ${root ?? 'missing'})` };
  const htmlRoot = root?.toLowerCase() === 'html';
  if (htmlType || (xmlType && htmlRoot) || (vague && (htmlRoot || looksLikeHtml(text))))
    return { kind: 'page', url: result.url, text };
  const what = xmlType ? `XML with root element ${root ?? 'missing'}` : mime || 'no content type';
  return { kind: 'error', reason: `not HTML or a feed (${what})` };
}

/** The document of one fetched HTML page; the page's own metadata first, then the options, then the host. */
function pageDocument(
  html: string,
  finalUrl: string,
  origin: string,
  options: ResolvedOptions,
): SourceResult {
  const page = htmlToArticle(html);
  if (!page.ok) return { ok: false, input: origin, reason: page.reason };
  return makeDocument(
    {
      ...page.article,
      url: page.article.url ?? finalUrl,
      outlet: page.article.outlet ?? options.outlet ?? hostOf(finalUrl),
    },
    origin,
    options,
  );
}

/**
 * The document for one feed entry: its `content` when the feed carries the article, else the
 * linked page through the readability pass, else (with `fetchArticles` off, or no link) its
 * summary. The entry's title, link and date win over the page's; the outlet is the feed's.
 */
export async function entryDocument(
  entry: FeedEntry,
  feed: Feed,
  feedUrl: string,
  options: ResolvedOptions,
  fetcher: Fetcher,
  signal?: AbortSignal,
): Promise<SourceResult> {
  const origin = entry.link ?? `${feedUrl}#${entry.key}`;
  const outlet = options.feedOutlet ?? feed.title ?? options.outlet ?? hostOf(feedUrl);
  const fromEntry = { title: entry.title, url: entry.link, published: entry.published, outlet };
  if (entry.content === null && entry.link !== null && options.fetchArticles) {
    const request = { maxBytes: options.maxBytes, accept: PAGE_ACCEPT, ...(signal ? { signal } : {}) };
    const fetched = classify(await fetcher.fetch(entry.link, request));
    if (fetched.kind === 'error') return { ok: false, input: origin, reason: fetched.reason };
    if (fetched.kind === 'feed')
      return { ok: false, input: origin, reason: 'links to a feed, not an article' };
    const page = htmlToArticle(fetched.text);
    if (!page.ok) return { ok: false, input: origin, reason: page.reason };
    return makeDocument(
      {
        text: page.article.text,
        title: entry.title ?? page.article.title,
        url: entry.link,
        published: entry.published ?? page.article.published,
        outlet,
      },
      origin,
      options,
    );
  }
  const html = entry.content ?? entry.summary;
  if (html === null)
    return { ok: false, input: origin, reason: 'feed entry with no text and no link to fetch' };
  // A feed's content is the article already; readability helps only when it carries page furniture.
  const article = htmlToArticle(html);
  const text = article.ok ? article.article.text : htmlFragmentText(html);
  return makeDocument({ ...fromEntry, text }, origin, options);
}

function hostOf(url: string): string | null {
  return URL.canParse(url) ? new URL(url).hostname.replace(/^www\./, '') || null : null;
}

/** The body's text in its declared charset (header, XML declaration or meta tag), UTF-8 by default. */
export function decodeBody(body: Buffer, contentType: string | null): string {
  const head = body.subarray(0, 1024).toString('latin1');
  const charset =
    /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ??
    /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1] ??
    'utf-8';
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    // An unknown charset label: UTF-8 is the web's default.
    return new TextDecoder('utf-8').decode(body);
  }
}
