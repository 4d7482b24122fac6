import type { Token } from './tokens.js';

/** A dictionary phrase found in the text: tokens [from, to) of a sentence. */
export interface Match<E> {
  readonly from: number;
  readonly to: number;
  readonly entries: readonly E[];
}

interface Node<E> {
  readonly next: Map<string, Node<E>>;
  entries: E[];
}

/** Phrases compiled into a token trie and matched in one pass, longest first (chrono's pattern
 * utilities do the same with regexes; a trie keeps 100k place names fast). */
export class Gazetteer<E> {
  private readonly root: Node<E> = { next: new Map(), entries: [] };
  private readonly skipInside: ReadonlySet<string>;

  /** `skipInside`: punctuation tokens a phrase may have inside it in the text although its key has
   * none ("CPI (Maoist)", "DHKP/C", "Blood & Honour"); a skipped "(" takes its ")" into the match. */
  constructor(options: { readonly skipInside?: Iterable<string> } = {}) {
    this.skipInside = new Set(options.skipInside ?? []);
  }

  /** `key` is the phrase as space-separated normalised tokens (see `phraseKey`). */
  add(key: string, entry: E): void {
    if (key === '') return;
    let node = this.root;
    for (const part of key.split(' ')) {
      let child = node.next.get(part);
      if (!child) {
        child = { next: new Map(), entries: [] };
        node.next.set(part, child);
      }
      node = child;
    }
    node.entries.push(entry);
  }

  /** Non-overlapping matches, scanning left to right and taking the longest phrase at each start. */
  match(tokens: readonly Token[]): Match<E>[] {
    const found: Match<E>[] = [];
    let i = 0;
    while (i < tokens.length) {
      let node: Node<E> | undefined = this.root.next.get((tokens[i] as Token).norm);
      let bestEnd = -1;
      let bestNode: Node<E> | undefined;
      let opened = false;
      let bestOpened = false;
      for (let j = i + 1; node; j++) {
        if (node.entries.length > 0) {
          bestEnd = j;
          bestNode = node;
          bestOpened = opened;
        }
        let next = tokens[j];
        while (next?.kind === 'punct' && this.skipInside.has(next.norm) && node.next.size > 0) {
          opened ||= next.norm === '(';
          next = tokens[++j];
        }
        node = next ? node.next.get(next.norm) : undefined;
      }
      if (bestNode) {
        if (bestOpened && tokens[bestEnd]?.norm === ')') bestEnd++;
        found.push({ from: i, to: bestEnd, entries: bestNode.entries });
        i = bestEnd;
      } else {
        i++;
      }
    }
    return found;
  }
}
