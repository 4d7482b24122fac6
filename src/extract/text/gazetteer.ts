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
      let node: Node<E> | undefined = this.root;
      let best: Match<E> | null = null;
      for (let j = i; j < tokens.length && node; j++) {
        node = node.next.get((tokens[j] as Token).norm);
        if (node && node.entries.length > 0) best = { from: i, to: j + 1, entries: node.entries };
      }
      if (best) {
        found.push(best);
        i = best.to;
      } else {
        i++;
      }
    }
    return found;
  }
}
