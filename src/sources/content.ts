import { htmlToArticle, looksLikeHtml } from './html.js';
import type { FoundArticle } from './make-document.js';
import { normaliseText } from './normalise.js';

/** `sniff` treats content as HTML when it opens with a tag, as text otherwise (stdin, JSON Lines). */
export type ContentFormat = 'text' | 'html' | 'sniff';

export type ContentResult =
  | { readonly ok: true; readonly article: FoundArticle }
  | { readonly ok: false; readonly reason: string };

/** The article in one input's content, read as plain text or markdown, or as an HTML page. */
export function readContent(content: string, format: ContentFormat): ContentResult {
  const html = format === 'html' || (format === 'sniff' && looksLikeHtml(content));
  if (!html) return { ok: true, article: { text: content, title: markdownTitle(content) } };
  const page = htmlToArticle(content);
  return page.ok ? { ok: true, article: page.article } : page;
}

// Only an explicit `# ` heading is a title: a short first line is as often a dateline or a kicker.
function markdownTitle(text: string): string | null {
  const first = normaliseText(text).split('\n', 1)[0] ?? '';
  if (!first.startsWith('# ')) return null;
  return (
    first
      .slice(2)
      .replace(/\s+#+$/, '')
      .trim() || null
  );
}
