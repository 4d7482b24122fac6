import type { AnnotatedSentence } from '../annotate.js';
import { evidenceOf } from '../evidence.js';
import { type CasualtyKind, casualtyFiller, heldPeople } from '../lexicons.js';
import type { Figure } from '../numbers.js';
import type { Count, Field } from '../types.js';

const AFTER_WINDOW = 6;
const BEFORE_WINDOW = 4;
/** How far (in tokens) the toll's verb may stand from "death toll" ("the death toll from the car bomb
 * that exploded outside a crowded market in Mogadishu, Somalia on Tuesday rose to 19"): the phrase
 * that says which attack may be long; no other figure and no sentence break may stand between. */
const TOLL_WINDOW = 30;
const TOLL_VERBS = new Set(['rose', 'risen', 'climbed', 'increased', 'jumped', 'reached']);
const BEFORE_FILLER = new Set([
  'to',
  'at',
  'of',
  'the',
  'some',
  'about',
  'has',
  'had',
  'now',
  'stood',
  'rose',
  'reached',
  'climbed',
]);

/** What a figure counts: victims killed, wounded or kidnapped, or attackers killed (GTD counts
 * those apart: "two of the attackers were shot dead"). */
export type FigureKind = CasualtyKind | 'perpetrators_killed';

export interface CasualtyFigure {
  readonly kind: FigureKind;
  readonly field: Field<Count>;
}

/** What a figure counts: the casualty word after it ("22 people were killed") or before it
 * ("killing 22", "the death toll rose to 139"). A figure that counts attackers ("four gunmen") or
 * stands before another figure's words counts nothing here. */
function kindOf(
  s: AnnotatedSentence,
  figure: Figure,
  next: Figure | undefined,
): { kind: FigureKind; from: number; to: number } | null {
  const tokens = s.sentence.tokens;
  const attackers = s.perpetratorNouns.find((p) => p.from >= figure.to && p.from - figure.to <= 1);
  if (attackers) {
    // "three gunmen were killed": attackers killed; "four gunmen stormed": a count of attackers.
    const word = fateAfter(s, attackers.to);
    return word?.entries.some((e) => e.kind === 'killed' && e.position === 'after')
      ? { kind: 'perpetrators_killed', from: figure.from, to: word.to }
      : null;
  }
  const limit = Math.min(figure.to + AFTER_WINDOW, next?.from ?? Number.POSITIVE_INFINITY);
  let best: { kind: CasualtyKind; from: number; to: number; distance: number } | null = null;
  const consider = (kind: CasualtyKind, from: number, to: number, distance: number) => {
    if (!best || distance < best.distance) best = { kind, from, to, distance };
  };
  for (const w of s.casualtyWords) {
    if (w.from < figure.to || w.from >= limit) continue;
    const entry = w.entries.find((e) => e.position === 'after');
    const between = tokens.slice(figure.to, w.from);
    if (entry && between.every((t) => casualtyFiller.has(t.norm) || t.norm === ',')) {
      // "330 hostages were killed": the people held are the dead (or wounded), not the kidnapped.
      const words = tokens
        .slice(w.from, w.to)
        .map((t) => t.norm)
        .join(' ');
      const fate = heldPeople.has(words) ? fateAfter(s, w.to) : null;
      const died = fate?.entries.find((e) => e.position === 'after' && e.kind !== 'kidnapped');
      if (fate && died) consider(died.kind, figure.from, fate.to, w.from - figure.to);
      else consider(entry.kind, figure.from, w.to, w.from - figure.to);
      break;
    }
  }
  for (const w of s.casualtyWords) {
    if (w.to > figure.from) continue;
    const entry = w.entries.find((e) => e.position === 'before');
    const between = tokens.slice(w.to, figure.from);
    if (entry && figure.from - w.to <= BEFORE_WINDOW && between.every((t) => BEFORE_FILLER.has(t.norm)))
      consider(entry.kind, w.from, figure.to, figure.from - w.to);
    // "the death toll from Wednesday's bombing in Kabul rose to 90": the toll's verb is next to the figure.
    else if (
      entry?.kind === 'killed' &&
      tokens[w.to - 1]?.norm === 'toll' &&
      figure.from - w.to <= TOLL_WINDOW &&
      TOLL_VERBS.has(tokens[figure.from - 2]?.norm ?? '') &&
      tokens[figure.from - 1]?.norm === 'to' &&
      !between.some((t) => t.norm === '.' || t.norm === ';') &&
      !s.figures.some((f) => f.from >= w.to && f.to <= figure.from - 2)
    )
      consider(entry.kind, w.from, figure.to, figure.from - w.to);
  }
  return best;
}

/** The casualty word that says what became of the people named just before `at` ("gunmen were
 * killed", "hostages died"): the first within AFTER_WINDOW tokens, with only filler words between. */
function fateAfter(s: AnnotatedSentence, at: number): AnnotatedSentence['casualtyWords'][number] | null {
  const word = s.casualtyWords.find((w) => w.from >= at && w.from - at <= AFTER_WINDOW);
  if (word === undefined) return null;
  return s.sentence.tokens.slice(at, word.from).every((t) => casualtyFiller.has(t.norm)) ? word : null;
}

export function findCasualties(documentId: string, text: string, s: AnnotatedSentence): CasualtyFigure[] {
  const found: CasualtyFigure[] = [];
  s.figures.forEach((figure, i) => {
    const phrase = kindOf(s, figure, s.figures[i + 1]);
    if (!phrase) return;
    found.push({
      kind: phrase.kind,
      field: {
        value: figure.count,
        evidence: [evidenceOf(documentId, text, s, phrase.from, phrase.to)],
        inferred: false,
      },
    });
  });
  return found;
}

/** The figure an incident shows when a report gives several: the highest lower bound, since in one
 * article later, larger tolls update earlier ones; all figures stay as evidence. */
export function bestCount(figures: readonly Field<Count>[]): Field<Count> | null {
  if (figures.length === 0) return null;
  const best = figures.reduce((a, b) => (b.value.min > a.value.min ? b : a));
  const rest = figures.filter((f) => f !== best).flatMap((f) => f.evidence);
  return { value: best.value, evidence: [...best.evidence, ...rest], inferred: best.inferred };
}
