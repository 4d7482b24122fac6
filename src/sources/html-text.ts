import { normaliseText } from './normalise.js';

/** The little of the DOM that text extraction needs (the project has no DOM lib types). */
export interface TextNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<TextNode>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

// Elements that start a new paragraph; everything else flows inline.
const BLOCKS = new Set([
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'pre', 'div', 'section', 'article'],
  ...['main', 'header', 'footer', 'aside', 'ul', 'ol', 'dl', 'dt', 'dd', 'table', 'tr', 'figure'],
  ...['figcaption', 'address', 'hr', 'details', 'summary'],
]);
const SKIPPED = new Set(['script', 'style', 'noscript', 'template']);

/**
 * Visible text of an element with each block as its own paragraph (blank line between), so
 * sentence and paragraph boundaries survive for the extractor. Nested blocks (a `p` inside an
 * `li`) give one paragraph, not duplicated text.
 */
export function blockText(root: TextNode): string {
  const parts: string[] = [];
  const walk = (node: TextNode, inPre: boolean): void => {
    if (node.nodeType === TEXT_NODE) {
      const text = node.textContent ?? '';
      parts.push(inPre ? text : text.replace(/[ \t\n\r\f]+/g, ' '));
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const tag = node.nodeName.toLowerCase();
    if (SKIPPED.has(tag)) return;
    if (tag === 'br') {
      parts.push('\n');
      return;
    }
    const block = BLOCKS.has(tag);
    if (block) parts.push('\n\n');
    for (const child of Array.from(node.childNodes)) walk(child, inPre || tag === 'pre');
    if (block) parts.push('\n\n');
  };
  walk(root, false);
  const lines = parts.join('').split('\n');
  return normaliseText(lines.map((line) => line.trim()).join('\n'));
}
