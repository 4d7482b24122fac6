import { createHash } from 'node:crypto';
import { isMixedCase } from '../annotate.js';
import { readLexicon } from '../lexicon.js';
import { acceptsForm, nameGazetteer } from '../names.js';
import { Gazetteer } from '../text/gazetteer.js';
import { type Sentence, splitSentences } from '../text/sentences.js';
import { phraseKey, type Token } from '../text/tokens.js';
import type { Evidence } from '../types.js';

/* Reactions of states to an attack, read from the text: "the United States expressing deep concerns",
 * "Moscow blamed Ukraine", "the Tajik foreign ministry condemned the attack". Word lists in
 * data/lexicon/reactions.json; the rules are described in docs/analysis.md (Reactions). Pure: the
 * same text and incidents always give the same reactions. Apart from incident extraction: nothing
 * here changes what `extractIncidents` finds. */

export const REACTION_KINDS = [
  'condemn',
  'concern',
  'blame',
  'threaten',
  'sanction',
  'condolence',
  'support',
] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

/** How the text names the state that reacts. */
export type ActorForm = 'country' | 'capital' | 'place' | 'person' | 'official';

export interface ReactionActor {
  /** ISO 3166-1 alpha-2 of the state. */
  readonly country: string;
  /** As written: "the United States", "the Kremlin", "President Biden", "the Tajik foreign ministry". */
  readonly text: string;
  readonly form: ActorForm;
}

/** One state's reaction in one sentence. */
export interface Reaction {
  /** Stable: document, span and kind hashed. */
  readonly id: string;
  readonly documentId: string;
  readonly kind: ReactionKind;
  readonly actor: ReactionActor;
  /** The state the reaction is aimed at (whom it blames, threatens, sanctions, comforts), if named. */
  readonly target: string | null;
  /** The words of the reaction as written ("expressing deep concerns"). */
  readonly cue: string;
  /** The incident of the document it reacts to (the draft's id), or null when the document has none. */
  readonly incident: string | null;
  /** From the actor to the cue (and the target), with the whole sentence. */
  readonly evidence: Evidence;
}

/** An incident a document reports, with where the text speaks of it. */
export interface ReactionAnchor {
  readonly id: string;
  readonly evidence: readonly { readonly documentId: string; readonly start: number }[];
}

interface ReactionLexicon {
  kinds: Record<ReactionKind, string[]>;
  intensifiers: string[];
  officials: string[];
  places: Record<string, string>;
  people: Record<string, string>;
  negations: string[];
  passive: string[];
}

interface Compiled {
  readonly cues: Gazetteer<ReactionKind>;
  readonly intensifiers: Gazetteer<true>;
  readonly officials: Gazetteer<true>;
  readonly standIns: Gazetteer<{ code: string; form: 'place' | 'person' }>;
  readonly negations: Gazetteer<true>;
  readonly passive: ReadonlySet<string>;
}

let compiled: Compiled | undefined;

function lexicon(): Compiled {
  if (compiled) return compiled;
  const data = readLexicon<ReactionLexicon>('reactions.json');
  const cues = new Gazetteer<ReactionKind>();
  for (const kind of REACTION_KINDS) for (const p of data.kinds[kind]) cues.add(phraseKey(p), kind);
  const list = (phrases: readonly string[]) => {
    const g = new Gazetteer<true>();
    for (const p of phrases) g.add(phraseKey(p), true);
    return g;
  };
  const standIns = new Gazetteer<{ code: string; form: 'place' | 'person' }>();
  for (const [p, code] of Object.entries(data.places)) standIns.add(phraseKey(p), { code, form: 'place' });
  for (const [p, code] of Object.entries(data.people)) standIns.add(phraseKey(p), { code, form: 'person' });
  compiled = {
    cues,
    intensifiers: list(data.intensifiers),
    officials: list(data.officials),
    standIns,
    negations: list(data.negations),
    passive: new Set(data.passive.map(phraseKey)),
  };
  return compiled;
}

/** A mention of a state: tokens [from, to) and how it is named. Demonyms count only with an office
 * after them ("Tajik authorities"). */
interface Mention {
  readonly from: number;
  readonly to: number;
  readonly code: string;
  readonly form: ActorForm | 'demonym';
}

interface Cue {
  readonly from: number;
  readonly to: number;
  readonly kind: ReactionKind;
}

/** How far before its cue the subject may be, in tokens ("the United States on Friday condemned"). */
const SUBJECT_WINDOW = 8;
/** A capital stands for its state only right before the cue ("Moscow blamed", "Moscow has blamed"). */
const CAPITAL_WINDOW = 2;
const NEGATION_WINDOW = 3;
const TARGET_WINDOW = 8;
const DETERMINERS = new Set(['the', 'a', 'an', 'these', 'those', 'this', 'that']);
/** Before a subject these make it something else: the place of the attack ("the attack in Russia"). */
const NOT_SUBJECT_BEFORE = new Set([
  'in',
  'on',
  'at',
  'against',
  'into',
  'from',
  'to',
  'with',
  'by',
  'than',
  'across',
  'toward',
  'towards',
  'near',
  'inside',
  'outside',
  'within',
  'throughout',
  'between',
  'over',
  'attacked',
  'attacking',
  'targeted',
  'targeting',
  'struck',
]);
/** The words before a target that tie it to the reaction, by kind ("blamed the attack on Ukraine"). */
const TARGET_LINKS: Record<ReactionKind, ReadonlySet<string>> = {
  condemn: new Set(),
  concern: new Set(),
  blame: new Set(['on', 'at']),
  threaten: new Set(['against', 'on', 'at']),
  sanction: new Set(['on', 'against']),
  condolence: new Set(['to', 'with']),
  support: new Set(['to', 'for']),
};
const CLAUSE_ENDS = new Set([';', ':', '.', '!', '?']);

/**
 * The reactions of states a document reports, each tied to one of the document's incidents: the one
 * whose evidence comes last before the reaction, else the first. Only states (a country, its capital,
 * an office or a leader of it) count; groups, peoples ("Russians") and international bodies do not.
 */
export function extractReactions(
  doc: { readonly id: string; readonly text: string },
  incidents: readonly ReactionAnchor[] = [],
): Reaction[] {
  const lex = lexicon();
  const mixedCase = isMixedCase(doc.text);
  const reactions: Reaction[] = [];
  const seen = new Set<string>();
  for (const sentence of splitSentences(doc.text)) {
    const tokens = sentence.tokens;
    const cues = findCues(tokens, lex);
    if (cues.length === 0) continue;
    const mentions = findMentions(doc.text, sentence, mixedCase, lex);
    for (const cue of cues) {
      if (negated(tokens, cue, lex)) continue;
      const found = subjectOf(tokens, cue, mentions, lex);
      if (found === null) continue;
      const { actor, passive } = found;
      const target = targetOf(tokens, cue, mentions, actor);
      const key = `${sentence.index}|${actor.code}|${cue.kind}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const from = Math.min(actor.from, cue.from);
      const to = Math.max(actor.to, cue.to, target?.to ?? 0);
      const start = tokens[from]?.start ?? sentence.start;
      const end = tokens[to - 1]?.end ?? sentence.end;
      const actorStart = tokens[actor.from]?.start ?? start;
      const actorEnd = tokens[actor.to - 1]?.end ?? end;
      const evidence: Evidence = {
        documentId: doc.id,
        start: passive ? start : Math.min(start, actorStart),
        end,
        text: doc.text.slice(start, end),
        sentence: sentence.text,
      };
      reactions.push({
        id: createHash('sha256')
          .update(`${doc.id}|${evidence.start}|${evidence.end}|${cue.kind}|${actor.code}`)
          .digest('hex')
          .slice(0, 16),
        documentId: doc.id,
        kind: cue.kind,
        actor: {
          country: actor.code,
          text: doc.text.slice(actorStart, actorEnd),
          form: actor.form === 'demonym' ? 'official' : actor.form,
        },
        target: target?.code ?? null,
        cue: doc.text.slice(tokens[cue.from]?.start, tokens[cue.to - 1]?.end),
        incident: incidentOf(doc.id, start, incidents),
        evidence,
      });
    }
  }
  return reactions;
}

/** Reaction phrases, matched with intensifiers left out ("expressing deep concerns"). */
function findCues(tokens: readonly Token[], lex: Compiled): Cue[] {
  const skipped = new Set<number>();
  for (const m of lex.intensifiers.match(tokens)) for (let i = m.from; i < m.to; i++) skipped.add(i);
  const kept: number[] = [];
  tokens.forEach((_, i) => {
    if (!skipped.has(i)) kept.push(i);
  });
  const matches = lex.cues.match(kept.map((i) => tokens[i] as Token));
  return matches.map((m) => ({
    from: kept[m.from] as number,
    to: (kept[m.to - 1] as number) + 1,
    kind: m.entries[0] as ReactionKind,
  }));
}

/** States named in a sentence: stand-ins from the word list ("the Kremlin", "Putin"), countries,
 * demonyms and national capitals; each widened to an office before or after it ("the Tajik foreign
 * ministry", "the foreign ministry of Tajikistan", "President Biden"). */
function findMentions(text: string, sentence: Sentence, mixedCase: boolean, lex: Compiled): Mention[] {
  const tokens = sentence.tokens;
  const raw: Mention[] = [];
  const taken = new Set<number>();
  for (const m of lex.standIns.match(tokens)) {
    const entry = m.entries[0];
    if (entry === undefined) continue;
    // Names of people and places are proper names: in mixed-case copy they are capitalised.
    if (mixedCase && !/^\p{Lu}/u.test(tokens[m.from]?.text ?? '')) continue;
    raw.push({ from: m.from, to: m.to, code: entry.code, form: entry.form });
    for (let i = m.from; i < m.to; i++) taken.add(i);
  }
  for (const m of nameGazetteer().match(tokens)) {
    if (Array.from({ length: m.to - m.from }, (_, k) => m.from + k).some((i) => taken.has(i))) continue;
    const written = text.slice(tokens[m.from]?.start, tokens[m.to - 1]?.end);
    const entries = m.entries.filter((e) => acceptsForm(e, written, mixedCase, m.from === 0));
    // A group's name is a group ("Islamic State"), even where a country shares a word with it.
    if (entries.some((e) => e.kind === 'group')) continue;
    const country = entries.find((e) => e.kind === 'country');
    const demonym = entries.find((e) => e.kind === 'demonym');
    const capital = entries.find((e) => e.kind === 'city' && e.city.capital);
    if (country?.kind === 'country')
      raw.push({ from: m.from, to: m.to, code: country.code, form: 'country' });
    else if (demonym?.kind === 'demonym')
      raw.push({ from: m.from, to: m.to, code: demonym.code, form: 'demonym' });
    else if (capital?.kind === 'city')
      raw.push({ from: m.from, to: m.to, code: capital.city.country, form: 'capital' });
  }
  raw.sort((a, b) => a.from - b.from);
  const officials = lex.officials.match(tokens);
  const mentions: Mention[] = [];
  for (const m of raw) {
    let { from, to } = m;
    let form: Mention['form'] = m.form;
    // "Tajikistan's foreign ministry", "the Tajik foreign ministry", "Russian Foreign Minister Lavrov".
    let after = to;
    if (tokens[after]?.norm === 's' && m.form === 'country') after++;
    const office = officials.find((o) => o.from === after);
    if (office && form !== 'capital') {
      to = office.to;
      form = 'official';
      const person = raw.find((r) => r.from === to && r.form === 'person');
      if (person) to = person.to;
    }
    // "the foreign ministry of Tajikistan", "President Biden".
    const before = officials.find(
      (o) =>
        (o.to === from && m.form === 'person') ||
        (o.to === from - 1 && tokens[from - 1]?.norm === 'of') ||
        (o.to === from - 2 && tokens[from - 2]?.norm === 'of' && tokens[from - 1]?.norm === 'the'),
    );
    if (before && (m.form === 'person' || m.form === 'country')) {
      from = before.from;
      form = m.form === 'person' ? 'person' : 'official';
    }
    if (tokens[from - 1]?.norm === 'the') from--;
    mentions.push({ from, to, code: m.code, form });
  }
  // A person named after an office already taken in ("Russian Foreign Minister Lavrov") is one mention.
  return mentions.filter(
    (m, i) =>
      !mentions.some((o, j) => j !== i && o.from <= m.from && m.to <= o.to && o.to - o.from > m.to - m.from),
  );
}

function negated(tokens: readonly Token[], cue: Cue, lex: Compiled): boolean {
  const from = Math.max(0, cue.from - NEGATION_WINDOW);
  return lex.negations.match(tokens.slice(from, cue.from)).length > 0;
}

/** The state that reacts: the nearest state named before the cue (the subject), or after "by" in a
 * passive ("was condemned by Tajikistan") or after "from" ("condolences from Washington"). */
function subjectOf(
  tokens: readonly Token[],
  cue: Cue,
  mentions: readonly Mention[],
  lex: Compiled,
): { actor: Mention; passive: boolean } | null {
  const firstWord = tokens[cue.from]?.norm ?? '';
  const previous = tokens[cue.from - 1]?.norm ?? '';
  // "the accused men": a participle used as an adjective is no reaction.
  if (/(ed|ing)$/.test(firstWord) && DETERMINERS.has(previous)) return null;
  const passive =
    lex.passive.has(previous) ||
    (lex.passive.has(tokens[cue.from - 2]?.norm ?? '') && previous.endsWith('ly'));
  const after = (links: ReadonlySet<string>) =>
    mentions.find((m) => {
      if (m.from < cue.to || m.from - cue.to > 3 || m.form === 'demonym') return false;
      const link = tokens.slice(cue.to, m.from).find((t) => links.has(t.norm));
      return link !== undefined;
    });
  if (passive) {
    const actor = after(new Set(['by']));
    return actor ? { actor, passive: true } : null;
  }
  const candidates = mentions.filter(
    (m) =>
      m.to <= cue.from &&
      cue.from - m.to <= (m.form === 'capital' ? CAPITAL_WINDOW : SUBJECT_WINDOW) &&
      m.form !== 'demonym' &&
      !tokens.slice(m.to, cue.from).some((t) => CLAUSE_ENDS.has(t.norm)),
  );
  const nearest = candidates.at(-1);
  if (nearest && !governed(tokens, listHead(tokens, nearest, mentions)))
    return { actor: nearest, passive: false };
  const from = after(new Set(['from', 'by']));
  return from ? { actor: from, passive: true } : null;
}

/** The first state of a list the mention ends ("attacked Russia, Iran and Pakistan" → Russia). */
function listHead(tokens: readonly Token[], mention: Mention, mentions: readonly Mention[]): Mention {
  let head = mention;
  for (;;) {
    const joint = tokens[head.from - 1]?.norm ?? '';
    if (joint !== ',' && joint !== 'and' && joint !== 'or') return head;
    const gap = joint === 'and' && tokens[head.from - 2]?.norm === ',' ? 2 : 1;
    const before = mentions.find((m) => m.to === head.from - gap);
    if (before === undefined) return head;
    head = before;
  }
}

/** Whether a word before the mention makes it the object of something ("the attack in Russia",
 * "attacked Russia"), not the subject. */
function governed(tokens: readonly Token[], mention: Mention): boolean {
  return NOT_SUBJECT_BEFORE.has(tokens[mention.from - 1]?.norm ?? '');
}

/** The state a reaction is aimed at: right after the cue ("blamed Ukraine", "threatened Tajikistan"),
 * or after a word that ties it to the kind ("blamed the attack on Ukraine", "condolences to Russia"). */
function targetOf(
  tokens: readonly Token[],
  cue: Cue,
  mentions: readonly Mention[],
  actor: Mention,
): Mention | null {
  for (const m of mentions) {
    if (m.from < cue.to || m === actor || m.code === actor.code) continue;
    if (m.from - cue.to > TARGET_WINDOW) break;
    const between = tokens.slice(cue.to, m.from);
    if (between.some((t) => CLAUSE_ENDS.has(t.norm) || t.norm === ',')) break;
    const words = between.map((t) => t.norm).filter((w) => !DETERMINERS.has(w));
    if (words.length === 0) return m;
    const link = words.at(-1) ?? '';
    if (TARGET_LINKS[cue.kind].has(link)) return m;
  }
  return null;
}

/** The document's incident a reaction at `at` reacts to: the last one spoken of before it, else the first. */
function incidentOf(documentId: string, at: number, incidents: readonly ReactionAnchor[]): string | null {
  let best: { id: string; start: number } | null = null;
  for (const incident of incidents) {
    for (const e of incident.evidence) {
      if (e.documentId !== documentId || e.start > at) continue;
      if (best === null || e.start > best.start) best = { id: incident.id, start: e.start };
    }
  }
  return best?.id ?? incidents[0]?.id ?? null;
}
