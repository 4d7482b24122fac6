import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { isIsoDate } from './dates.js';
import { blockText, type TextNode } from './html-text.js';

/** What an HTML page yields: its article text and the metadata the page states. */
export interface HtmlArticle {
  readonly text: string;
  readonly title: string | null;
  readonly url: string | null;
  readonly outlet: string | null;
  readonly published: string | null;
}

export type HtmlResult =
  | { readonly ok: true; readonly article: HtmlArticle }
  | { readonly ok: false; readonly reason: string };

interface Attributes {
  getAttribute(name: string): string | null;
}
interface HtmlDocument {
  querySelector(selector: string): Attributes | null;
}

// Readability can leave a caption or a byline behind on a page with no story; below this there is no article.
const MIN_ARTICLE_CHARS = 40;
/** Deeper than any real page (they stay under 100); Readability takes about 0.3 s at this depth. */
const MAX_DEPTH = 256;

/** The main article of an HTML page (Readability), without navigation, footers or scripts. */
export function htmlToArticle(html: string): HtmlResult {
  try {
    // linkedom needs an <html> root; JSON Lines and stdin often carry a bare fragment.
    const page = /<html[\s>]/i.test(html)
      ? html
      : `<!doctype html><html><head></head><body>${html}</body></html>`;
    const { document } = parseHTML(page);
    // Readability's time grows with the cube of the nesting depth (800 levels: seconds; 5,000:
    // minutes) and it overflows the stack beyond: a hostile page is refused, not read.
    if (depthOver(document as unknown as TextNode, MAX_DEPTH))
      return { ok: false, reason: `HTML nested too deeply (over ${MAX_DEPTH} levels of elements)` };
    // Read metadata first: Readability rewrites the document as it works.
    const meta = readMetadata(document as unknown as HtmlDocument);
    const parsed = new Readability(document, { serializer: (node) => node as unknown as TextNode }).parse();
    const text = parsed?.content ? blockText(parsed.content) : '';
    if (text.length < MIN_ARTICLE_CHARS) return { ok: false, reason: 'HTML with no article body' };
    return {
      ok: true,
      article: {
        text,
        title: parsed?.title?.trim() || null,
        url: meta.url,
        outlet: meta.outlet ?? (parsed?.siteName?.trim() || null),
        published: meta.published ?? dateOrNull(parsed?.publishedTime),
      },
    };
  } catch (error) {
    return {
      ok: false,
      reason: `could not parse HTML: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * All the visible text of an HTML fragment, without Readability: a feed entry's summary is too
 * short for Readability to call it an article, and it holds no page furniture to remove.
 */
export function htmlFragmentText(html: string): string {
  try {
    const { document } = parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`);
    return blockText((document as unknown as { body: TextNode }).body);
  } catch {
    return '';
  }
}

/** True when text is markup rather than prose: it opens with `<` and contains a tag. */
export function looksLikeHtml(text: string): boolean {
  const start = text.trimStart();
  // `[^<>]*`, not `[^>]*`: a run of `<a <a <a …` with no `>` must not be rescanned from every `<`.
  return start.startsWith('<') && /<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?\/?>/i.test(start);
}

/** Whether any node lies deeper than `max` below `root`, walked without recursion. */
function depthOver(root: TextNode, max: number): boolean {
  const stack: [TextNode, number][] = [[root, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (depth > max) return true;
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) stack.push([children[i] as TextNode, depth + 1]);
  }
  return false;
}

function readMetadata(document: HtmlDocument): Omit<HtmlArticle, 'text' | 'title'> {
  const attr = (selector: string, name: string) =>
    document.querySelector(selector)?.getAttribute(name)?.trim() || null;
  return {
    published: dateOrNull(
      attr('meta[property="article:published_time"]', 'content') ?? attr('time[datetime]', 'datetime'),
    ),
    outlet: attr('meta[property="og:site_name"]', 'content'),
    url: absoluteUrlOrNull(
      attr('link[rel="canonical"]', 'href') ?? attr('meta[property="og:url"]', 'content'),
    ),
  };
}

// Stated metadata that is not a usable value is dropped rather than passed on as a bad record.
function dateOrNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed && isIsoDate(trimmed) ? trimmed : null;
}

function absoluteUrlOrNull(value: string | null): string | null {
  if (value === null || !URL.canParse(value)) return null;
  return /^https?:$/.test(new URL(value).protocol) ? value : null;
}
