/* TLP 2.0 markings and who sees them: the rule every read of Vigil applies, in one place. Plain
 * data and pure functions; the store writes the same rule in SQL only to cut pages in the database.
 *
 * - A document is held under markings (its holdings). A document with none is TLP:CLEAR (stored by
 *   the local CLI). Documents stored from now on have exactly one holding each: the same text held
 *   by another organisation or under another marking is another document (`holdingKey`).
 * - CLEAR and GREEN: every signed-in caller. AMBER: the owning organisation and the organisations it
 *   shares with. AMBER+STRICT: the owning organisation only. RED: the named recipients only.
 * - A caller sees a document when they see any of its holdings; its marking for them is the least
 *   restrictive of those (someone holds the text that openly).
 * - What is derived from several documents is marked with the most restrictive marking among them
 *   (`mostRestrictive`): an incident built from a CLEAR and an AMBER report is AMBER. */

export const MARKING_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type MarkingLevel = (typeof MARKING_LEVELS)[number];

/** What a marking says: the level, the owning organisation, and RED's named recipients (`org/name`). */
export interface Holding {
  readonly tlp: MarkingLevel;
  /** The owning organisation; null for the local CLI. */
  readonly org: string | null;
  readonly recipients: readonly string[];
}

/** One holding of one stored document. */
export interface Marking extends Holding {
  readonly id: string;
  readonly documentId: string;
}

/** What the rule needs to know of a caller. */
export interface Clearance {
  readonly org: string;
  /** `<org>/<name>`, or null for a key of the organisation as a whole (never a RED recipient). */
  readonly userId: string | null;
  /** Organisations whose TLP:AMBER this one sees: itself and those that share with it. */
  readonly amberOrgs: readonly string[];
}

const rank = (level: MarkingLevel) => MARKING_LEVELS.indexOf(level);

export function isMarkingLevel(value: string): value is MarkingLevel {
  return (MARKING_LEVELS as readonly string[]).includes(value);
}

export function canSeeHolding(c: Clearance, h: Holding): boolean {
  switch (h.tlp) {
    case 'clear':
    case 'green':
      return true;
    case 'amber':
      return h.org !== null && c.amberOrgs.includes(h.org);
    case 'amber+strict':
      return h.org !== null && h.org === c.org;
    case 'red':
      return c.userId !== null && h.recipients.includes(c.userId);
  }
}

/** The caller's marking of a document (the least restrictive holding they see), or null if they see
 * none; a document without holdings is CLEAR. */
export function documentMarking(c: Clearance, holdings: readonly Holding[] | undefined): MarkingLevel | null {
  if (holdings === undefined || holdings.length === 0) return 'clear';
  return leastRestrictive(holdings.filter((h) => canSeeHolding(c, h)).map((h) => h.tlp));
}

export function leastRestrictive(levels: Iterable<MarkingLevel>): MarkingLevel | null {
  let best: MarkingLevel | null = null;
  for (const level of levels) if (best === null || rank(level) < rank(best)) best = level;
  return best;
}

export function mostRestrictive(levels: Iterable<MarkingLevel>): MarkingLevel | null {
  let worst: MarkingLevel | null = null;
  for (const level of levels) if (worst === null || rank(level) > rank(worst)) worst = level;
  return worst;
}

/** Whether `a` restricts more than `b`. */
export const stricter = (a: MarkingLevel, b: MarkingLevel): boolean => rank(a) > rank(b);

/** A holding as one canonical string: what a document's identity is scoped by (two posts of one text
 * under the same holding are one document; under different holdings, two). */
export function holdingKey(h: Holding): string {
  const recipients = h.tlp === 'red' ? [...new Set(h.recipients)].sort().join(',') : '';
  return `${h.tlp}|${h.org ?? ''}|${recipients}`;
}

export function sameHolding(a: Holding, b: Holding): boolean {
  return holdingKey(a) === holdingKey(b);
}
