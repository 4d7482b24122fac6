import { type AnnotatedSentence, covering } from './annotate.js';
import { classifyTriggers, type TriggerMention } from './events.js';
import { findTargets } from './fields/attack.js';
import { findCasualties } from './fields/casualties.js';
import { earliestDateIn, findDate } from './fields/dates.js';
import { findAttackerCount, findPerpetratorGroups } from './fields/perpetrators.js';
import { choosePlace, linkedPlaces } from './fields/places.js';
import type { DateValue, Field, PlaceValue } from './types.js';

/** A sentence that reports an attack (`report`) or adds to one already reported (`reference`). */
export interface Part {
  readonly s: AnnotatedSentence;
  readonly role: 'report' | 'reference';
  readonly mentions: readonly TriggerMention[];
  readonly date: Field<DateValue> | null;
  readonly place: Field<PlaceValue> | null;
}

export interface Cluster {
  readonly parts: Part[];
  /** The incidents of one coordinated operation (the Brussels airport and metro bombings) share this
   * list; an incident on its own has a list of one. */
  readonly operation: Cluster[];
  date: Field<DateValue> | null;
  place: Field<PlaceValue> | null;
}

export interface DocumentContext {
  readonly documentId: string;
  readonly text: string;
  readonly published: Date | null;
  readonly sentences: readonly AnnotatedSentence[];
  /** Countries named anywhere in the article: they decide between namesake towns. */
  readonly countriesNamed: ReadonlySet<string>;
  /** Where the article's incidents are when no sentence says: the country it names most. */
  readonly mainCountry: Field<PlaceValue> | null;
}

function samePlace(a: PlaceValue | undefined, b: PlaceValue | undefined): boolean {
  if (!a || !b) return true;
  if (a.country !== b.country) return false;
  return a.city === null || b.city === null || a.city === b.city;
}

/** Dates agree when equal, or when one is a month (or year) that holds the other. */
function sameDate(a: DateValue | undefined, b: DateValue | undefined): boolean {
  if (!a || !b) return true;
  const span = (d: DateValue) => (d.precision === 'day' ? 10 : d.precision === 'month' ? 7 : 4);
  const n = Math.min(span(a), span(b));
  return a.date.slice(0, n) === b.date.slice(0, n);
}

const PRECISION_RANK = { year: 0, month: 1, day: 2 } as const;

interface SentenceFacts {
  readonly casualties: ReturnType<typeof findCasualties>;
  readonly groups: ReturnType<typeof findPerpetratorGroups>;
  readonly attackers: ReturnType<typeof findAttackerCount>;
}

const factsCache = new WeakMap<AnnotatedSentence, SentenceFacts>();

/** Casualties, groups and attacker counts of a sentence, worked out once however often rules ask. */
export function factsOf(ctx: DocumentContext, s: AnnotatedSentence): SentenceFacts {
  let facts = factsCache.get(s);
  if (!facts) {
    facts = {
      casualties: findCasualties(ctx.documentId, ctx.text, s),
      groups: findPerpetratorGroups(ctx.documentId, ctx.text, s, ctx.countriesNamed),
      attackers: findAttackerCount(ctx.documentId, ctx.text, s),
    };
    factsCache.set(s, facts);
  }
  return facts;
}

function hasAnchor(s: AnnotatedSentence, ctx: DocumentContext, part: Pick<Part, 'date' | 'place'>): boolean {
  return (
    part.date !== null ||
    part.place !== null ||
    factsOf(ctx, s).casualties.length > 0 ||
    factsOf(ctx, s).attackers !== null ||
    factsOf(ctx, s).groups.length > 0
  );
}

function readPart(s: AnnotatedSentence, ctx: DocumentContext): Part | null {
  const mentions = classifyTriggers(s);
  const reports = mentions.filter((m) => m.use === 'report');
  const references = mentions.filter((m) => m.use === 'reference');
  const anchors = [...reports, ...references].map((m) => m.match.from);
  const places = linkedPlaces(s, anchors).map((mention) => ({ s, mention }));
  const place = choosePlace(ctx.documentId, ctx.text, places, ctx.countriesNamed);
  if (reports.length > 0) {
    const date = findDate(
      ctx.documentId,
      s,
      ctx.published,
      reports.map((m) => m.match.from),
    );
    const part = { s, role: 'report' as const, mentions: reports, date, place };
    if (hasAnchor(s, ctx, part)) return part;
  }
  // Sentences with no attack word of their own still add to the incident being told: "the
  // attackers arrived ...", "a further 175 people were wounded", "the group claimed it".
  const backgroundOnly = mentions.length > 0 && mentions.every((m) => m.use === 'background');
  const claims = factsOf(ctx, s).groups.some((g) => g.value.attribution !== 'identified');
  const theAttackers = s.perpetratorNouns.some((p) =>
    covering(s.context, p.from - 1)?.entries.includes('determiner'),
  );
  const figures = !backgroundOnly && factsOf(ctx, s).casualties.length > 0;
  if (references.length > 0 || claims || theAttackers || figures || reports.length > 0) {
    const refAnchors = [...anchors, ...s.perpetratorNouns.map((p) => p.from)];
    const date = findDate(ctx.documentId, s, ctx.published, refAnchors);
    // Attack words with nothing of their own to anchor them still tell how the attack was done.
    const mentions = [...references, ...reports];
    return { s, role: 'reference', mentions, date, place: references.length > 0 ? place : null };
  }
  return null;
}

const attackTypesIn = (mentions: readonly TriggerMention[]) =>
  new Set(
    mentions
      .flatMap((m) => m.match.entries.filter((e) => !e.attackerWord).map((e) => e.attackType))
      .filter((t) => t !== null),
  );

/** A sentence that names its own town, its own kind of attack and its own toll reports another attack
 * ("a bomb at a bus station in Abuja killed 71"), even where the first attack's place was vaguer. */
function isAnotherAttack(part: Part, c: Cluster, ctx: DocumentContext): boolean {
  if (part.role !== 'report' || !part.place?.value.city || part.place.value.city === c.place?.value.city)
    return false;
  const mine = attackTypesIn(part.mentions);
  const theirs = attackTypesIn(c.parts.flatMap((p) => p.mentions));
  if (mine.size === 0 || [...mine].some((t) => theirs.has(t))) return false;
  return factsOf(ctx, part.s).casualties.length > 0;
}

/** Splits an article into incidents: each sentence that reports an attack with something concrete
 * (a date, a place, a toll, attackers, a group) opens an incident unless it fits the one before;
 * sentences that refer back ("the attack", "the group claimed it") add to the incident they name or
 * to the latest one. Background, general and hypothetical attacks open nothing. */
function cluster(ctx: DocumentContext): Cluster[] {
  const clusters: Cluster[] = [];
  for (const s of ctx.sentences) {
    const part = readPart(s, ctx);
    // A sentence dated long before publication recalls history ("since 1980 ... killed"): it neither
    // opens an incident nor lends its date to one.
    if (!part) continue;
    const anchors = part.mentions.map((m) => m.match.from);
    const dated = part.date ?? (ctx.published ? earliestDateIn(s, ctx.published, anchors) : null);
    if (isHistory(dated, ctx.published)) continue;
    const fits = (c: Cluster) =>
      samePlace(c.place?.value, part.place?.value) &&
      sameDate(c.date?.value, part.date?.value) &&
      !isAnotherAttack(part, c, ctx);
    const target =
      part.role === 'reference' ? (clusters.findLast(fits) ?? clusters.at(-1)) : clusters.findLast(fits);
    if (target && isNextSite(part, target, ctx)) {
      // Same operation, another site: its own incident, on the same day in the same place.
      const next: Cluster = {
        parts: [part],
        date: target.date,
        place: target.place,
        operation: target.operation,
      };
      target.operation.push(next);
      clusters.push(next);
    } else if (target) {
      target.parts.push(part);
      // A later sentence may date the attack more precisely ("last month" ... "on 14 April").
      if (
        part.date &&
        (!target.date ||
          PRECISION_RANK[part.date.value.precision] > PRECISION_RANK[target.date.value.precision])
      ) {
        if (part.role === 'report' || target.date) target.date = part.date;
      }
      if (part.role === 'report') target.place ??= part.place;
    } else if (part.role === 'report' || part.place || part.mentions.length > 0) {
      // The lead of a story is its news: there an attack word opens an incident on its own.
      const lead =
        clusters.length === 0 &&
        s.sentence.index < LEAD_SENTENCES &&
        part.mentions.some((m) => m.match.entries.some((e) => !e.anaphoricOnly && !e.plural));
      if (part.role === 'reference' && !hasAnchor(s, ctx, part) && !lead) continue;
      const first: Cluster = { parts: [part], date: part.date, place: part.place, operation: [] };
      first.operation.push(first);
      clusters.push(first);
    }
  }
  return clusters;
}

const LEAD_SENTENCES = 2;
const SEQUENCE_WINDOW = 4;

function targetPhrases(ctx: DocumentContext, s: AnnotatedSentence): Set<string> {
  return new Set(findTargets(ctx.documentId, ctx.text, s).map((t) => t.head));
}

/** Coordinated attacks at separate sites are separate incidents (GTD): a sentence that moves the story
 * on ("an hour later, a bomb exploded in a metro train") to targets the last report did not name
 * opens a new incident; a second bomb at the same site stays in the first. */
function isNextSite(part: Part, c: Cluster, ctx: DocumentContext): boolean {
  if (!part.mentions.some((m) => m.use === 'report')) return false;
  const moves = part.s.context.some((m) => m.entries.includes('sequence') && m.from < SEQUENCE_WINDOW);
  const last = c.parts.findLast((p) => p.role === 'report');
  if (!moves || !last) return false;
  const mine = targetPhrases(ctx, part.s);
  const theirs = targetPhrases(ctx, last.s);
  return mine.size > 0 && theirs.size > 0 && ![...mine].some((t) => theirs.has(t));
}

/** How long before publication an attack may be and still be the news; older ones are history. */
const NEWS_WINDOW_DAYS = 31;

function isHistory(dated: Field<DateValue> | null, published: Date | null): boolean {
  if (!published || !dated) return false;
  const { date, precision } = dated.value;
  const end = new Date(`${date}T12:00:00Z`);
  if (precision === 'month') end.setUTCMonth(end.getUTCMonth() + 1);
  if (precision === 'year') end.setUTCFullYear(end.getUTCFullYear() + 1);
  return published.getTime() - end.getTime() > NEWS_WINDOW_DAYS * 86_400_000;
}

/** The incidents of an article as groups of sentences. The first is its news; a further one must be
 * dated, or it is more often a past attack recalled without a date than a second attack. */
export function findClusters(ctx: DocumentContext): Cluster[] {
  return cluster(ctx).filter((c, i) => !isHistory(c.date, ctx.published) && (i === 0 || c.date !== null));
}
