import { type AnnotatedSentence, covering } from './annotate.js';
import { reportsAttack } from './attack-report.js';
import { classifyTriggers, type TriggerMention } from './events.js';
import { findTargets } from './fields/attack.js';
import { findCasualties } from './fields/casualties.js';
import { earliestDateIn, findDate } from './fields/dates.js';
import { findAttackerCount, findPerpetratorGroups } from './fields/perpetrators.js';
import { choosePlace, type Dateline, linkedPlaces } from './fields/places.js';
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
  /** A past attack the article recalls (an anniversary, a trial, a retrospective): what refers to it
   * stays with it, and it yields no incident. */
  history?: true;
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
  /** The dateline, if the article opens with one: where the story was filed. */
  readonly dateline: Dateline | null;
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
    // A weapon or a target the learned scorer takes for a reported attack ("bombs damaged the offices
    // of four firms"): concrete enough, even where the place is the dateline's.
    ((s.weapons.length > 0 || s.targets.length > 0) && reportsAttack(s)) ||
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
  // The dateline's names are where the story was filed, not where an attack word is placed.
  const datelineTo = ctx.dateline?.sentence === s.sentence.index ? ctx.dateline.to : 0;
  const places = linkedPlaces(s, anchors)
    .filter((mention) => mention.match.from >= datelineTo)
    .map((mention) => ({ s, mention }));
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
  // "Jihadist violence in the region killed more civilians this year": in a tally, a word that only
  // ever refers back ("violence", "the incident") refers to nothing either.
  const tally = s.context.some((m) => m.entries.includes('habitual'));
  const backgroundOnly =
    mentions.length > 0 &&
    mentions.some((m) => m.use === 'background') &&
    mentions.every((m) => m.use === 'background' || (tally && m.match.entries.every((e) => e.anaphoricOnly)));
  // A group named in a tally or a habit ("groups linked to X are pushing south") claims nothing.
  const claims =
    !(tally && backgroundOnly) && factsOf(ctx, s).groups.some((g) => g.value.attribution !== 'identified');
  const theAttackers = s.perpetratorNouns.some((p) =>
    covering(s.context, p.from - 1)?.entries.includes('determiner'),
  );
  const figures = !backgroundOnly && factsOf(ctx, s).casualties.length > 0;
  if ((references.length > 0 && !backgroundOnly) || claims || theAttackers || figures || reports.length > 0) {
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
    // An article that opens on a past attack (an anniversary, a trial, a retrospective) goes on about
    // it: what follows without a date or place of its own ("the attack killed 13 people") is that
    // attack too, not news. Once the article has reported news, history is only skipped.
    const recalled = clusters.length > 0 && clusters.every((c) => c.history) ? clusters.at(-1) : undefined;
    if (isHistory(dated, ctx.published) || isRecalled(part, ctx.published)) {
      if (recalled) recalled.parts.push(part);
      else if (clusters.length === 0)
        clusters.push({ parts: [part], date: dated, place: part.place, operation: [], history: true });
      continue;
    }
    // So does a later attack it names without a date, by a definite reference ("days after 30 people
    // were killed in the attack on a beach in Sousse"): the article takes it as known, not as news.
    const known = (p: Part) => classifyTriggers(p.s).some((m) => m.use === 'reference');
    if (recalled && part.date === null && (part.place === null || known(part))) {
      recalled.parts.push(part);
      continue;
    }
    // "Commandos stormed the cafe on Saturday, ending a siege ... The attackers had stormed it on Friday
    // night": the pluperfect goes back to the start of the attack the news ends; its date, a few days
    // earlier, is the attack's.
    const latest = clusters.findLast((c) => !c.history);
    if (latest && startsEarlier(part, latest)) {
      latest.parts.push(part);
      latest.date = part.date;
      latest.place ??= part.place;
      continue;
    }
    const fits = (c: Cluster) =>
      samePlace(c.place?.value, part.place?.value) &&
      sameDate(c.date?.value, part.date?.value) &&
      !isAnotherAttack(part, c, ctx);
    const live = clusters.filter((c) => !c.history);
    const target = part.role === 'reference' ? (live.findLast(fits) ?? live.at(-1)) : live.findLast(fits);
    if (target && isSeparateAttack(part)) {
      // Another attack altogether: its own incident and operation, its own place where it says one.
      const other: Cluster = {
        parts: [part],
        date: part.date ?? target.date,
        place: part.place ?? target.place,
        operation: [],
      };
      other.operation.push(other);
      clusters.push(other);
    } else if (target && isNextSite(part, target, ctx)) {
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
        // A reference dates an undated attack when it names the attack ("in Wednesday's blast").
        if (part.role === 'report' || target.date || part.mentions.length > 0) target.date = part.date;
      }
      if (part.role === 'report') target.place ??= part.place;
    } else if (part.role === 'report' || part.place || part.mentions.length > 0) {
      // The lead of a story is its news: there an attack word opens an incident on its own.
      const lead =
        live.length === 0 &&
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

/** Whether a report in the pluperfect ("had stormed", "had been attacked") tells the start of the
 * incident `c` reports: dated one to STARTED_DAYS days before it, in the same place or none. */
function startsEarlier(part: Part, c: Cluster): boolean {
  const mine = part.date?.value;
  const theirs = c.date?.value;
  if (part.role !== 'report' || mine?.precision !== 'day' || theirs?.precision !== 'day') return false;
  const days = (Date.parse(theirs.date) - Date.parse(mine.date)) / 86_400_000;
  if (days < 1 || days > STARTED_DAYS) return false;
  if (part.place && c.place && !samePlace(c.place.value, part.place.value)) return false;
  const tokens = part.s.sentence.tokens;
  return part.mentions.some((m) => {
    if (m.use !== 'report') return false;
    const before = tokens[m.match.from - 1]?.norm;
    return before === 'had' || (tokens[m.match.from - 2]?.norm === 'had' && before === 'been');
  });
}

const STARTED_DAYS = 3;
const LEAD_SENTENCES = 2;
const SEQUENCE_WINDOW = 4;

function targetPhrases(ctx: DocumentContext, s: AnnotatedSentence): Set<string> {
  return new Set(findTargets(ctx.documentId, ctx.text, s).map((t) => t.head));
}

const opens = (part: Part, kind: 'sequence' | 'separate') =>
  part.s.context.some((m) => m.entries.includes(kind) && m.from < SEQUENCE_WINDOW);

/** A report that says its attack is another one ("In a separate attack on Tuesday, a bomber struck a
 * funeral"): a new incident whatever its targets. */
function isSeparateAttack(part: Part): boolean {
  return part.role === 'report' && part.mentions.some((m) => m.use === 'report') && opens(part, 'separate');
}

/** Coordinated attacks at separate sites are separate incidents (GTD): a sentence that moves the story
 * on ("an hour later, a bomb exploded in a metro train") to targets the last report did not name, or
 * to a further attack ("two hours later a second car bomb went off"), opens a new incident; a second
 * bomb at the same site ("... as rescuers arrived, a second bomb exploded") stays in the first. */
function isNextSite(part: Part, c: Cluster, ctx: DocumentContext): boolean {
  const reports = part.mentions.filter((m) => m.use === 'report');
  const last = c.parts.findLast((p) => p.role === 'report');
  if (reports.length === 0 || !last) return false;
  const further = reports.some((m) => isFurther(part.s, m.match.from));
  // "A second bomb, in a market ..., killed five" opening the sentence, with its own toll, moves the
  // story on as "later" does ("a second explosion was reported" alone may be the same attack).
  const opensFurther =
    further &&
    part.s.context.some((m) => m.entries.includes('another') && m.from < SEQUENCE_WINDOW) &&
    factsOf(ctx, part.s).casualties.length > 0;
  if (!opens(part, 'sequence') && !opensFurther) return false;
  const mine = targetPhrases(ctx, part.s);
  const theirs = targetPhrases(ctx, last.s);
  if (mine.size === 0) return further;
  if (theirs.size === 0) return false;
  if (![...mine].some((t) => theirs.has(t))) return true;
  // The same kind of target: a further bomb is another site only where its target is named otherwise
  // ("a second bomb went off at Park Kultury station" after "Lubyanka station"), not "the same market".
  return further && namedOtherwise(ctx, part.s, last.s);
}

/** Whether an attack word is announced as a further one ("a second car bomb", "another blast"): an
 * ordinal or "another" at most two words before it. */
function isFurther(s: AnnotatedSentence, at: number): boolean {
  return s.context.some((m) => m.entries.includes('another') && m.to <= at && at - m.to <= 1);
}

/** Whether the first sentence names its targets (capitalised words in them: "Park Kultury station")
 * and the second names none of those. */
function namedOtherwise(ctx: DocumentContext, a: AnnotatedSentence, b: AnnotatedSentence): boolean {
  const names = (s: AnnotatedSentence) =>
    findTargets(ctx.documentId, ctx.text, s).flatMap((t) =>
      t.text.value
        .split(/\s+/)
        .filter((w, i) => /^\p{Lu}/u.test(w) && (i > 0 || t.text.evidence[0]?.start !== s.sentence.start)),
    );
  const mine = names(a);
  const theirs = new Set(names(b));
  return mine.length > 0 && !mine.some((w) => theirs.has(w));
}

/** Whether a part recalls a past attack rather than reporting news: its attack word is recalled, after
 * a commemoration ("the first anniversary of the truck bombing") or next to a year long gone ("the 202
 * people killed in the 2002 Bali bombings", "the 1995 sarin attack"), whatever the date of the
 * ceremony, execution or trial the sentence reports. The attack word that counts is the one nearest
 * the sentence's date ("Ten years after the 2013 siege, gunmen attacked a bus on Tuesday" is news), or
 * the first one when the sentence gives no date. */
function isRecalled(part: Part, published: Date | null): boolean {
  const triggers = part.s.triggers.length > 0 ? part.s.triggers : part.mentions.map((m) => m.match);
  if (triggers.length === 0 || part.mentions.length === 0) return false;
  const cues = part.s.context.filter((m) => m.entries.includes('commemoration'));
  const tokens = part.s.sentence.tokens;
  const pastYear = (i: number) => {
    const t = tokens[i];
    if (!published || t?.kind !== 'number' || !/^(19|20)\d\d$/.test(t.text)) return false;
    const year: Field<DateValue> = {
      value: { date: `${t.text}-01-01`, precision: 'year' },
      evidence: [],
      inferred: false,
    };
    return isHistory(year, published);
  };
  const recalled = (m: { from: number; to: number }) => {
    if (cues.some((c) => c.to <= m.from && m.from - c.to <= RECALL_WINDOW)) return true;
    for (let i = Math.max(0, m.from - YEAR_WINDOW); i < Math.min(tokens.length, m.to + YEAR_WINDOW); i++)
      if (pastYear(i)) return true;
    return false;
  };
  const dateAt = part.date ? tokens.findIndex((t) => t.start >= (part.date?.evidence[0]?.start ?? 0)) : -1;
  const head =
    dateAt < 0
      ? triggers[0]
      : triggers.reduce((a, m) => (Math.abs(m.from - dateAt) < Math.abs(a.from - dateAt) ? m : a));
  return head !== undefined && recalled(head);
}

const RECALL_WINDOW = 8;
const YEAR_WINDOW = 4;

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
  return cluster(ctx)
    .filter((c) => !c.history)
    .filter((c, i) => !isHistory(c.date, ctx.published) && (i === 0 || c.date !== null));
}
