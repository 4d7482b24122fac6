import { readFileSync } from 'node:fs';
import { dataPath } from '../knowledge/data-path.js';

/** A rule or word list from `data/lexicon/`. Callers validate the shape they need. */
export function readLexicon<T>(name: string): T {
  return JSON.parse(readFileSync(dataPath(`lexicon/${name}`), 'utf8')) as T;
}
