import { createHash } from 'node:crypto';
import { type Clearance, type Holding, leastRestrictive, type MarkingLevel } from './marking.js';

/* A document's audience: who may see it, as one string, so that the store can tell an incident whose
 * documents all have the same audience (every caller sees all of it or none of it: its stored record
 * is exactly what each of them sees) from a mixed one (some callers see part of it: they are shown
 * what its visible reports alone make, src/access/views.ts).
 *
 * - null: CLEAR (no holding, or a CLEAR one); 'green': a GREEN holding and no CLEAR one.
 * - otherwise the restricted holdings, sorted and joined by a space: `amber:<org>`,
 *   `strict:<org>`, `red:<user>,<user>…` (recipients sorted). A caller sees the document when they
 *   see any part. Org and user names never hold a space or a comma (src/store/access.ts NAME).
 *
 * Two documents with one audience are seen, and at one marking, by exactly the same callers, however
 * organisations share later: the key names owners and recipients, not who they share with. */

export type Audience = string | null;

export function audienceOf(holdings: readonly Holding[]): Audience {
  if (holdings.length === 0 || holdings.some((h) => h.tlp === 'clear')) return null;
  if (holdings.some((h) => h.tlp === 'green')) return 'green';
  const parts = new Set<string>();
  for (const h of holdings) {
    if (h.tlp === 'amber') parts.add(`amber:${h.org ?? ''}`);
    else if (h.tlp === 'amber+strict') parts.add(`strict:${h.org ?? ''}`);
    else parts.add(`red:${[...new Set(h.recipients)].sort().join(',')}`);
  }
  return [...parts].sort().join(' ');
}

/** The caller's marking of a document of this audience (the least restrictive part they see), or
 * null when they see none. */
export function audienceLevel(c: Clearance, audience: Audience): MarkingLevel | null {
  if (audience === null) return 'clear';
  if (audience === 'green') return 'green';
  return leastRestrictive(
    audience.split(' ').flatMap((part): MarkingLevel[] => {
      const [kind, who = ''] = splitPart(part);
      if (kind === 'amber') return who !== '' && c.amberOrgs.includes(who) ? ['amber'] : [];
      if (kind === 'strict') return who !== '' && who === c.org ? ['amber+strict'] : [];
      return c.userId !== null && who.split(',').includes(c.userId) ? ['red'] : [];
    }),
  );
}

const splitPart = (part: string): [string, string] => {
  const at = part.indexOf(':');
  return [part.slice(0, at), part.slice(at + 1)];
};

/* Full-text search sees only what the caller may see, in the index itself: the search text of an
 * incident whose audience is restricted (or mixed) carries RESTRICTED_TOKEN and a token per part of
 * its audience, and a caller's query asks for `words NOT (RESTRICTED NOT (their tokens))`. So a word
 * that occurs only in hidden documents finds nothing, exactly as a word that occurs nowhere, and
 * costs the same. Tokens are letters and digits, as FTS5's unicode61 and PostgreSQL's 'simple'
 * configuration keep them. */

export const RESTRICTED_TOKEN = 'vglrestricted';

const token = (what: string) => `vgl${createHash('sha256').update(what).digest('hex').slice(0, 20)}`;

/** The tokens an incident's search text carries: none for a public audience, RESTRICTED_TOKEN and
 * one per part otherwise; RESTRICTED_TOKEN alone for a mixed incident (searched in JavaScript). */
export function audienceTokens(audience: Audience, mixed: boolean): string[] {
  if (mixed) return [RESTRICTED_TOKEN];
  if (audience === null || audience === 'green') return [];
  const tokens = new Set<string>([RESTRICTED_TOKEN]);
  for (const part of audience.split(' ')) {
    const [kind, who] = splitPart(part);
    if (kind === 'red') for (const user of who.split(',')) tokens.add(token(`user:${user}`));
    else tokens.add(token(`${kind}:${who}`));
  }
  return [...tokens];
}

/** The tokens of the restricted audiences a caller sees (see `audienceTokens`). */
export function clearanceTokens(c: Clearance): string[] {
  const tokens = [...new Set(c.amberOrgs)].map((org) => token(`amber:${org}`));
  tokens.push(token(`strict:${c.org}`));
  if (c.userId !== null) tokens.push(token(`user:${c.userId}`));
  return tokens;
}
