import { createHash } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { isIsoDate } from './dates.js';

/** One entry of an RSS or Atom feed, with its HTML as the feed gives it. */
export interface FeedEntry {
  /** What identifies the entry across polls: its guid or id, else its link, else a hash of it. */
  readonly key: string;
  readonly title: string | null;
  /** Absolute http(s) URL of the article, or null. */
  readonly link: string | null;
  /** ISO 8601 date-time (the feed's own offset kept), or null. */
  readonly published: string | null;
  /** `description` (RSS) or `summary` (Atom), as HTML. */
  readonly summary: string | null;
  /** `content:encoded` (RSS) or `content` (Atom), as HTML: the whole article when the feed carries it. */
  readonly content: string | null;
}

export interface Feed {
  readonly format: 'rss' | 'atom' | 'rdf';
  readonly title: string | null;
  readonly entries: readonly FeedEntry[];
}

export type FeedResult =
  | { readonly ok: true; readonly feed: Feed }
  | { readonly ok: false; readonly reason: string };

/** preserveOrder nodes: `{ tag: children, ':@': attributes }` or `{ '#text': text }` or `{ '#cdata': [...] }`. */
type XmlNode = Record<string, unknown>;

const FEED_ROOTS: Readonly<Record<string, Feed['format']>> = { rss: 'rss', feed: 'atom', 'rdf:RDF': 'rdf' };

/**
 * The name of the root element of an XML (or HTML) document, skipping the prolog, comments and any
 * DOCTYPE; null when there is none. Used to tell a feed from a page before parsing it.
 */
export function rootElement(text: string): string | null {
  let rest = text.replace(/^\uFEFF/, '');
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('<?')) rest = rest.slice(endOf(rest, '?>'));
    else if (rest.startsWith('<!--')) rest = rest.slice(endOf(rest, '-->'));
    else if (/^<!doctype/i.test(rest)) rest = rest.slice(doctypeEnd(rest));
    else break;
    if (rest === '') return null;
  }
  return /^<([A-Za-z_][\w.:-]*)/.exec(rest)?.[1] ?? null;
}

/** True when the root element is `rss`, Atom's `feed` or RSS 1.0's `rdf:RDF`. */
export function isFeedRoot(root: string | null): boolean {
  return root !== null && root in FEED_ROOTS;
}

/**
 * An RSS 2.0, RSS 1.0 or Atom feed. XML entities are never expanded beyond the five predefined
 * ones and character references: a document that declares its own (the "billion laughs" and
 * external-entity attacks) is refused before parsing.
 */
export function parseFeed(xml: string, feedUrl: string): FeedResult {
  const declared = declaresEntities(xml);
  if (declared) {
    return {
      ok: false,
      reason:
        'refused: the feed declares its own XML entities (<!ENTITY> in its DOCTYPE); Vigil expands only the predefined ones',
    };
  }
  let nodes: XmlNode[];
  try {
    nodes = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      // Entities are decoded here, by `decodeXml`, so nothing declared in the document is ever expanded.
      processEntities: false,
      htmlEntities: false,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      cdataPropName: '#cdata',
      ignoreDeclaration: true,
      ignorePiTags: true,
      maxNestedTags: 100,
    }).parse(xml) as XmlNode[];
  } catch (error) {
    return { ok: false, reason: `invalid XML: ${error instanceof Error ? error.message : String(error)}` };
  }
  const root = nodes.find((node) => tagOf(node) !== null);
  const rootName = root ? tagOf(root) : null;
  const format = rootName ? FEED_ROOTS[rootName] : undefined;
  if (root === undefined || rootName === null || format === undefined) {
    return { ok: false, reason: `not an RSS or Atom feed (root element ${rootName ?? 'missing'})` };
  }
  if (format === 'atom') return { ok: true, feed: readAtom(root, rootName, feedUrl) };
  // RSS 2.0 keeps its items in the channel; RSS 1.0 next to it.
  const channel = child(childrenOf(root, rootName), 'channel');
  const items =
    format === 'rss' && channel
      ? children(childrenOf(channel, 'channel'), 'item')
      : children(childrenOf(root, rootName), 'item');
  return {
    ok: true,
    feed: {
      format,
      title: channel ? plainText(child(childrenOf(channel, 'channel'), 'title')) : null,
      entries: items.map((item) => readRssItem(childrenOf(item, 'item'), feedUrl)),
    },
  };
}

function readRssItem(item: XmlNode[], feedUrl: string): FeedEntry {
  const link = absoluteUrl(plainText(child(item, 'link')), feedUrl);
  const guidNode = child(item, 'guid');
  const guid = plainText(guidNode);
  // A guid that is a permalink is the article's address when the item has no link.
  const permalink =
    guidNode && attribute(guidNode, 'isPermaLink') !== 'false' ? absoluteUrl(guid, feedUrl) : null;
  const title = plainText(child(item, 'title'));
  const summary = markup(child(item, 'description'));
  return {
    key: entryKey(guid ?? link ?? permalink, [title, summary]),
    title,
    link: link ?? permalink,
    published: feedDate(plainText(child(item, 'pubDate')) ?? plainText(child(item, 'dc:date'))),
    summary,
    content: markup(child(item, 'content:encoded')),
  };
}

function readAtom(root: XmlNode, rootName: string, feedUrl: string): Feed {
  const feed = childrenOf(root, rootName);
  const entries = children(feed, 'entry').map((node): FeedEntry => {
    const entry = childrenOf(node, 'entry');
    const links = children(entry, 'link');
    const alternate =
      links.find((l) => (attribute(l, 'rel') ?? 'alternate') === 'alternate') ?? links[0] ?? null;
    const link = absoluteUrl(alternate ? attribute(alternate, 'href') : null, feedUrl);
    const title = atomText(child(entry, 'title'), true);
    const summary = atomText(child(entry, 'summary'), false);
    return {
      key: entryKey(plainText(child(entry, 'id')) ?? link, [title, summary]),
      title,
      link,
      published: feedDate(plainText(child(entry, 'published')) ?? plainText(child(entry, 'updated'))),
      summary,
      content: atomText(child(entry, 'content'), false),
    };
  });
  return { format: 'atom', title: atomText(child(feed, 'title'), true), entries };
}

/** Atom text constructs: `text` (escaped for HTML unless plain is wanted), `html`, or `xhtml` markup. */
function atomText(node: XmlNode | null, plain: boolean): string | null {
  if (node === null) return null;
  const type = attribute(node, 'type') ?? 'text';
  if (type === 'xhtml') {
    const html = serialize(childrenOf(node, tagOf(node) ?? ''), true).trim();
    return html === '' ? null : plain ? htmlToPlain(html) : html;
  }
  if (type === 'html') {
    const html = markup(node);
    return html !== null && plain ? htmlToPlain(html) : html;
  }
  const text = plainText(node);
  return text === null || plain ? text : escapeHtml(text);
}

// --- the few DOM-free helpers over preserveOrder nodes

function tagOf(node: XmlNode): string | null {
  for (const key of Object.keys(node)) if (key !== ':@' && key !== '#text' && key !== '#cdata') return key;
  return null;
}

function childrenOf(node: XmlNode, tag: string): XmlNode[] {
  const value = node[tag];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function children(nodes: readonly XmlNode[], tag: string): XmlNode[] {
  return nodes.filter((node) => tag in node);
}

function child(nodes: readonly XmlNode[], tag: string): XmlNode | null {
  return nodes.find((node) => tag in node) ?? null;
}

function attribute(node: XmlNode, name: string): string | null {
  const value = (node[':@'] as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? decodeXml(value) : null;
}

/** The element's content as markup: decoded text and CDATA (which hold escaped HTML) and any raw tags. */
function markup(node: XmlNode | null): string | null {
  if (node === null) return null;
  const html = serialize(childrenOf(node, tagOf(node) ?? ''), false).trim();
  return html === '' ? null : html;
}

/** Text content with entities decoded and whitespace collapsed (titles, links, ids, dates). */
function plainText(node: XmlNode | null): string | null {
  if (node === null) return null;
  const text = textOf(childrenOf(node, tagOf(node) ?? ''))
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? null : text;
}

function textOf(nodes: readonly XmlNode[]): string {
  let text = '';
  for (const node of nodes) {
    if ('#text' in node) text += decodeXml(String(node['#text']));
    else if ('#cdata' in node) text += textOf(node['#cdata'] as XmlNode[]);
    else {
      const tag = tagOf(node);
      if (tag !== null) text += textOf(childrenOf(node, tag));
    }
  }
  return text;
}

/**
 * Markup from nodes. With `escapeText` (Atom xhtml) text is text and is escaped; otherwise (RSS
 * description, Atom html) decoded text *is* HTML and is kept as it is.
 */
function serialize(nodes: readonly XmlNode[], escapeText: boolean): string {
  let html = '';
  for (const node of nodes) {
    if ('#text' in node) {
      const text = decodeXml(String(node['#text']));
      html += escapeText ? escapeHtml(text) : text;
    } else if ('#cdata' in node) {
      html += textOf(node['#cdata'] as XmlNode[]);
    } else {
      const tag = tagOf(node);
      if (tag === null) continue;
      const name = tag.replace(/^[\w.-]+:/, '');
      const attrs = Object.entries((node[':@'] as Record<string, unknown> | undefined) ?? {})
        .filter(([, value]) => typeof value === 'string')
        .map(([key, value]) => ` ${key}="${escapeHtml(decodeXml(value as string))}"`)
        .join('');
      html += `<${name}${attrs}>${serialize(childrenOf(node, tag), escapeText)}</${name}>`;
    }
  }
  return html;
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and character references; any other `&name;` is left as written. */
export function decodeXml(text: string): string {
  return text.replace(
    /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(lt|gt|amp|quot|apos));/g,
    (whole, dec, hex, name) => {
      if (name !== undefined) return PREDEFINED[name as string] as string;
      const code = dec !== undefined ? Number(dec) : Number.parseInt(hex as string, 16);
      const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
      return valid ? String.fromCodePoint(code) : whole;
    },
  );
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function htmlToPlain(html: string): string | null {
  const text = decodeXml(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? null : text;
}

/** True when a DOCTYPE declares entities; checked on the raw text, before any parser sees it. */
function declaresEntities(xml: string): boolean {
  const doctype = /<!DOCTYPE/i.exec(xml);
  return doctype !== null && /<!ENTITY/i.test(xml.slice(doctype.index));
}

function endOf(text: string, close: string): number {
  const at = text.indexOf(close);
  return at < 0 ? text.length : at + close.length;
}

// A DOCTYPE may hold an internal subset in brackets, with `>` inside it.
function doctypeEnd(text: string): number {
  const bracket = text.indexOf('[');
  const close = text.indexOf('>');
  if (bracket >= 0 && (close < 0 || bracket < close)) {
    const end = text.indexOf(']', bracket);
    return end < 0 ? text.length : endOf(text.slice(end), '>') + end;
  }
  return close < 0 ? text.length : close + 1;
}

function absoluteUrl(value: string | null, base: string): string | null {
  if (value === null || !URL.canParse(value, base)) return null;
  const url = new URL(value, base);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

const MAX_KEY = 200;

function entryKey(id: string | null, fallback: readonly (string | null)[]): string {
  const key = id ?? `sha256:${hash(fallback.map((part) => part ?? '').join('\n'))}`;
  return key.length <= MAX_KEY ? key : `sha256:${hash(key)}`;
}

function hash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const ZONES: Readonly<Record<string, string>> = {
  gmt: 'Z',
  ut: 'Z',
  utc: 'Z',
  z: 'Z',
  est: '-05:00',
  edt: '-04:00',
  cst: '-06:00',
  cdt: '-05:00',
  mst: '-07:00',
  mdt: '-06:00',
  pst: '-08:00',
  pdt: '-07:00',
};
const RFC822 =
  /^(?:[a-z]{3,9},?\s*)?(\d{1,2})\s+([a-z]{3})[a-z]*\.?,?\s+(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([+-]\d{4}|[a-z]{1,5}))?)?$/i;

/**
 * A feed's date as ISO 8601: RFC 822 (RSS `pubDate`, "Sat, 23 Mar 2024 01:15:00 +0300") keeps its
 * own offset, so the day the outlet meant is the day relative dates in the text resolve against;
 * RFC 3339 (Atom) is kept as written. Anything unreadable is null.
 */
export function feedDate(value: string | null): string | null {
  if (value === null) return null;
  const text = value.trim();
  if (isIsoDate(text)) return text;
  const match = RFC822.exec(text);
  if (match) {
    const [, day, monthName, yearText, hour, minute, second, zone] = match;
    const month = MONTHS[(monthName as string).toLowerCase()];
    let year = Number(yearText);
    if ((yearText as string).length === 2) year += year < 50 ? 2000 : 1900;
    if (month !== undefined) {
      const date = `${year}-${pad(month)}-${pad(Number(day))}`;
      const iso =
        hour === undefined
          ? date
          : `${date}T${pad(Number(hour))}:${minute}:${second ?? '00'}${offsetOf(zone)}`;
      if (isIsoDate(iso)) return iso;
    }
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

function offsetOf(zone: string | undefined): string {
  if (zone === undefined) return 'Z';
  if (/^[+-]\d{4}$/.test(zone))
    return zone === '+0000' || zone === '-0000' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  return ZONES[zone.toLowerCase()] ?? 'Z';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
