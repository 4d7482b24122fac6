import { existsSync, readFileSync } from 'node:fs';
import { dataPath } from '../knowledge/data-path.js';

/** Languages whose word lists (`data/lexicon/<language>/<name>`) are merged into the English ones. Their
 * phrases are in their own script (Cyrillic for Russian), so they never match English text. */
const EXTRA_LANGUAGES = ['ru'];

/** A rule or word list from `data/lexicon/`, with the same file of each extra language merged in
 * (lists concatenated, records merged key by key). Callers validate the shape they need. */
export function readLexicon<T>(name: string): T {
  let data: unknown = JSON.parse(readFileSync(dataPath(`lexicon/${name}`), 'utf8'));
  for (const language of EXTRA_LANGUAGES) {
    const path = dataPath(`lexicon/${language}/${name}`);
    if (existsSync(path)) data = mergeLexicon(data, JSON.parse(readFileSync(path, 'utf8')));
  }
  return data as T;
}

function mergeLexicon(base: unknown, extra: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(extra)) return [...base, ...extra];
  if (isRecord(base) && isRecord(extra)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(extra)) {
      if (key.startsWith('$')) continue;
      merged[key] = key in base ? mergeLexicon(base[key], value) : value;
    }
    return merged;
  }
  return base;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
