import { loadGroups } from '../../knowledge/groups.js';
import { readLexicon } from '../lexicon.js';
import { phraseKey } from '../text/tokens.js';
import type { GroupCandidate } from './group-candidates.js';

/* What the rest of the document says about a name the knowledge base does not know, where one
 * sentence cannot tell: a name that is a piece of a known group's name written elsewhere in the
 * text ("Shabaab" beside "al-Shabaab", "Haqqani" beside "the Haqqani network") is that group, and a
 * name the text also writes as a place ("the Shaab district") is a place. Neither is ever a new
 * group. */

const placeWords = readLexicon<{ regions: string[]; place_nouns: string[] }>('places.json');
/** Lower-case words after a name that make it a place ("the Shaab district", "Kunar province"). */
const PLACE_AFTER = new Set([...placeWords.regions, ...placeWords.place_nouns]);
/** Words before "of" that make the name after it a place ("the district of Shaab"). */
const PLACE_BEFORE = new Set(placeWords.place_nouns);

interface KnownName {
  readonly groupId: string;
  readonly words: readonly string[];
  /** The name as written in the knowledge base, lower-cased, to look for in the text. */
  readonly lower: string;
}

let index: { groups: readonly unknown[]; byWord: Map<string, KnownName[]> } | undefined;

/** Every knowledge-base name or alias of two words or more, by each of its words. */
function knownNamesByWord(): Map<string, KnownName[]> {
  const groups = loadGroups();
  if (index?.groups === groups) return index.byWord;
  const byWord = new Map<string, KnownName[]>();
  for (const g of groups) {
    for (const alias of new Set([g.name, ...g.aliases])) {
      const words = phraseKey(alias).split(' ').filter(Boolean);
      if (words.length < 2) continue;
      const known = { groupId: g.id, words, lower: alias.toLowerCase() };
      for (const w of new Set(words)) {
        const list = byWord.get(w) ?? [];
        list.push(known);
        byWord.set(w, list);
      }
    }
  }
  index = { groups, byWord };
  return byWord;
}

const containsRun = (whole: readonly string[], part: readonly string[]) => {
  for (let i = 0; i + part.length <= whole.length; i++)
    if (part.every((w, k) => whole[i + k] === w)) return true;
  return false;
};

/** One text at a time (a document's sentences come one after another): its lower-cased form and
 * what was already worked out for the names asked about. */
let doc = {
  text: '',
  lower: '',
  known: new Map<string, string | null>(),
  places: new Map<string, boolean>(),
};

function forText(text: string) {
  if (doc.text !== text) doc = { text, lower: text.toLowerCase(), known: new Map(), places: new Map() };
  return doc;
}

/** The knowledge-base group whose longer name, written somewhere in the text, holds these words as a
 * run ("Shabaab" in "al-Shabaab"); null when none; 'ambiguous' when two groups' names do (then the
 * name is dropped: still never a new group, see `inDocument`). */
function knownGroupHolding(text: string, written: string): string | null | 'ambiguous' {
  const d = forText(text);
  const key = phraseKey(written);
  const seen = d.known.get(key);
  if (seen !== undefined) return seen;
  const words = key.split(' ').filter((w) => w !== '' && w !== 'the');
  let found: string | null | 'ambiguous' = null;
  if (words.length > 0) {
    for (const known of knownNamesByWord().get(words[0] as string) ?? []) {
      if (known.words.length <= words.length || !containsRun(known.words, words)) continue;
      if (!d.lower.includes(known.lower)) continue;
      if (found === null || found === known.groupId) found = known.groupId;
      else found = 'ambiguous';
    }
  }
  d.known.set(key, found);
  return found;
}

/** The text writes the name as a place somewhere: before a lower-case place word ("the Shaab
 * district", "Kunar province") or after "the town of". */
function writtenAsPlace(text: string, written: string): boolean {
  const d = forText(text);
  const seen = d.places.get(written);
  if (seen !== undefined) return seen;
  let place = false;
  for (let at = text.indexOf(written); at >= 0 && !place; at = text.indexOf(written, at + 1)) {
    const before = text.slice(Math.max(0, at - 24), at);
    const after = text.slice(at + written.length, at + written.length + 24);
    // A whole name, not the start or end of a longer word.
    if (/\p{L}$/u.test(before) || /^\p{L}/u.test(after)) continue;
    const next = /^ (\p{Ll}+)/u.exec(after)?.[1];
    const previous = /(?:^|[^\p{L}])(\p{Ll}+) of $/u.exec(before)?.[1];
    place =
      (next !== undefined && PLACE_AFTER.has(next)) || (previous !== undefined && PLACE_BEFORE.has(previous));
  }
  d.places.set(written, place);
  return place;
}

/** A candidate as the whole document reads it: a new name that is a piece of a known group's name
 * in the same text becomes that group (or, when two groups' names hold it, is dropped); a new name
 * the text writes as a place is dropped. Knowledge-base names are left as they are. */
export function inDocument(text: string, c: GroupCandidate, written: string): GroupCandidate | null {
  if (!c.discovered) return c;
  const known = knownGroupHolding(text, written);
  if (known === 'ambiguous') return null;
  if (known !== null) return { ...c, groupId: known, discovered: false };
  return writtenAsPlace(text, written) ? null : c;
}
