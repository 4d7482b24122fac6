/**
 * The GTT template metric (Du, Rush & Cardie 2021, `xinyadu/gtt` `eval.py`; also used by the DyGIE++
 * template baselines and Das et al. 2022). Per document, predicted templates are mapped injectively to
 * gold templates (or left unmapped), and the mapping with the best document F1 is kept:
 *
 * - a mapped pair counts only if the predicted incident type is a substring of the gold one
 *   ("attack" counts against "attack / bombing"); it then scores 1 for incident_type;
 * - within a pair, a predicted entity is correct if its mentions are a subset of some gold entity of
 *   the same role, and a gold entity is found if some predicted entity is a subset of it (no one-to-one);
 * - unmapped templates add only to the denominators, which therefore do not depend on the mapping;
 * - the document F1 and the headline micro-average sum incident_type and the five roles.
 *
 * Mentions are normalised as in the scorer; gold entities without a mention are dropped and exact
 * duplicate gold templates removed, as the scorer does. Where this differs from `eval.py`: predicted
 * entities with no mention are ignored (the scorer would count them correct against any gold entity),
 * only the first `maxTemplates` predicted templates may be mapped (the rest count as unmapped), and the
 * search, exact otherwise, stops after `maxNodes` steps, keeping the best mapping found (reported).
 * Among mappings with the same document F1 the scorer's choice is kept (the first in its enumeration
 * order), so per-role numbers agree too.
 */
import { normaliseMention, type Prf, prf2 } from './scores.js';
import { MUC4_ROLES, type Muc4Role, type Muc4Template } from './types.js';

export const GTT_KEYS = ['incident_type', ...MUC4_ROLES] as const;
export type GttKey = (typeof GTT_KEYS)[number];

/** Hits and denominators of precision and recall, as in the scorer. */
export interface GttCounts {
  readonly pNum: number;
  readonly pDen: number;
  readonly rNum: number;
  readonly rDen: number;
}

export const NO_GTT_COUNTS: GttCounts = { pNum: 0, pDen: 0, rNum: 0, rDen: 0 };

export function addGttCounts(a: GttCounts, b: GttCounts): GttCounts {
  return { pNum: a.pNum + b.pNum, pDen: a.pDen + b.pDen, rNum: a.rNum + b.rNum, rDen: a.rDen + b.rDen };
}

export interface GttOptions {
  /** Predicted templates per document that may be mapped (default 8). */
  readonly maxTemplates?: number;
  /** Search steps per document before settling for the best mapping so far (default 2,000,000). */
  readonly maxNodes?: number;
}

export interface GttDocumentScore {
  readonly counts: Readonly<Record<GttKey, GttCounts>>;
  /** For each predicted template, the index of its gold template (in `gold`, after de-duplication), or null. */
  readonly mapping: readonly (number | null)[];
  /** The gold templates scored: the input without exact duplicates. */
  readonly gold: readonly Muc4Template[];
  /** False when the search hit `maxNodes` (the mapping may then not be the best). */
  readonly exact: boolean;
}

/** Canonical JSON (object keys sorted) so that equal templates compare equal as strings. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Drops exact duplicate templates (the GTT scorer's de-duplication), keeping the first of each. */
export function dedupeTemplates<T>(templates: readonly T[]): T[] {
  const seen = new Set<string>();
  return templates.filter((t) => {
    const key = canonical(t);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Gold as the scorer reads it: role lists only, entities without mentions dropped, duplicates removed. */
export function goldTemplates(templates: readonly Muc4Template[]): Muc4Template[] {
  return dedupeTemplates(
    templates.map((t) => {
      const out: Record<string, unknown> = { incident_type: t.incident_type };
      for (const role of MUC4_ROLES) out[role] = (t[role] ?? []).filter((e) => e.length > 0);
      return out as unknown as Muc4Template;
    }),
  );
}

type Normalised = { readonly type: string } & { readonly [R in Muc4Role]: readonly (readonly string[])[] };

function normalise(t: Muc4Template, dropEmpty: boolean): Normalised {
  const out: Record<string, unknown> = {
    type: typeof t.incident_type === 'string' ? t.incident_type : 'attack',
  };
  for (const role of MUC4_ROLES) {
    const entities = (t[role] ?? []).map((e) => e.map(normaliseMention));
    out[role] = dropEmpty ? entities.filter((e) => e.length > 0) : entities;
  }
  return out as unknown as Normalised;
}

/** Scorer's `matching`: every predicted mention is one of the gold entity's mentions. */
function subsetOf(pred: readonly string[], gold: readonly string[]): boolean {
  return pred.every((m) => gold.includes(m));
}

/** What mapping predicted template i to gold template j adds, per key (null when the types disagree). */
function pairGain(pred: Normalised, gold: Normalised): Record<GttKey, { p: number; r: number }> | null {
  if (!gold.type.includes(pred.type)) return null;
  const gain = { incident_type: { p: 1, r: 1 } } as Record<GttKey, { p: number; r: number }>;
  for (const role of MUC4_ROLES) {
    const ps = pred[role];
    const gs = gold[role];
    gain[role] = {
      p: ps.filter((pe) => gs.some((ge) => subsetOf(pe, ge))).length,
      r: gs.filter((ge) => ps.some((pe) => subsetOf(pe, ge))).length,
    };
  }
  return gain;
}

/** Document F1 over all keys as an exact fraction, so ties are ties: 2ab / (a·rDen + b·pDen). */
interface Fraction {
  readonly num: number;
  readonly den: number;
}

function docF1(a: number, b: number, pDen: number, rDen: number): Fraction {
  if (a === 0 || b === 0 || pDen === 0 || rDen === 0) return { num: 0, den: 1 };
  return { num: 2 * a * b, den: a * rDen + b * pDen };
}

function greater(x: Fraction, y: Fraction): boolean {
  return x.num * y.den > y.num * x.den;
}

/** The GTT metric on one document: the best injective mapping and its counts. */
export function gttDocument(
  pred: readonly Muc4Template[],
  gold: readonly Muc4Template[],
  options: GttOptions = {},
): GttDocumentScore {
  const maxTemplates = options.maxTemplates ?? 8;
  const maxNodes = options.maxNodes ?? 2_000_000;
  const golds = goldTemplates(gold);
  const P = pred.map((t) => normalise(t, true));
  const G = golds.map((t) => normalise(t, false));

  // Denominators do not depend on the mapping.
  const dens = {} as Record<GttKey, { p: number; r: number }>;
  dens.incident_type = { p: P.length, r: G.length };
  for (const role of MUC4_ROLES) {
    dens[role] = {
      p: P.reduce((n, t) => n + t[role].length, 0),
      r: G.reduce((n, t) => n + t[role].length, 0),
    };
  }
  const pDen = GTT_KEYS.reduce((n, k) => n + dens[k].p, 0);
  const rDen = GTT_KEYS.reduce((n, k) => n + dens[k].r, 0);

  const mappable = Math.min(P.length, Math.max(0, maxTemplates));
  const gains = P.slice(0, mappable).map((p) => G.map((g) => pairGain(p, g)));
  const total = (g: Record<GttKey, { p: number; r: number }> | null, side: 'p' | 'r') =>
    g === null ? 0 : GTT_KEYS.reduce((n, k) => n + g[k][side], 0);
  const gainA = gains.map((row) => row.map((g) => total(g, 'p')));
  const gainB = gains.map((row) => row.map((g) => total(g, 'r')));
  // Upper bounds of what templates i.. can still add, ignoring the one-to-one constraint.
  const restA = new Array<number>(mappable + 1).fill(0);
  const restB = new Array<number>(mappable + 1).fill(0);
  for (let i = mappable - 1; i >= 0; i--) {
    restA[i] = (restA[i + 1] ?? 0) + Math.max(0, ...(gainA[i] ?? []));
    restB[i] = (restB[i + 1] ?? 0) + Math.max(0, ...(gainB[i] ?? []));
  }

  // Depth-first over pred 0, 1, …, each trying gold 0, 1, …, n-1 then "unmapped": the order in which
  // the scorer's itertools.product enumerates mappings, so the first best mapping is the scorer's.
  const current: (number | null)[] = new Array<number | null>(mappable).fill(null);
  const used = new Array<boolean>(G.length).fill(false);
  let best: { f1: Fraction; mapping: (number | null)[] } | null = null;
  let nodes = 0;
  let exact = true;
  const search = (i: number, a: number, b: number): void => {
    if (nodes++ >= maxNodes) {
      exact = false;
      return;
    }
    if (best !== null && !greater(docF1(a + (restA[i] ?? 0), b + (restB[i] ?? 0), pDen, rDen), best.f1))
      return;
    if (i === mappable) {
      const f1 = docF1(a, b, pDen, rDen);
      if (best === null || greater(f1, best.f1)) best = { f1, mapping: [...current] };
      return;
    }
    for (let j = 0; j <= G.length; j++) {
      if (!exact) return;
      const gold = j < G.length ? j : null;
      if (gold !== null && used[gold]) continue;
      current[i] = gold;
      if (gold !== null) used[gold] = true;
      search(
        i + 1,
        a + (gold === null ? 0 : (gainA[i]?.[gold] ?? 0)),
        b + (gold === null ? 0 : (gainB[i]?.[gold] ?? 0)),
      );
      if (gold !== null) used[gold] = false;
    }
    current[i] = null;
  };
  search(0, 0, 0);

  const chosen: (number | null)[] = [...((best as { mapping: (number | null)[] } | null)?.mapping ?? [])];
  while (chosen.length < P.length) chosen.push(null);
  const counts = {} as Record<GttKey, GttCounts>;
  for (const key of GTT_KEYS) counts[key] = { pNum: 0, pDen: dens[key].p, rNum: 0, rDen: dens[key].r };
  const mapping = chosen.map((j, i) => {
    const gain = j === null ? null : (gains[i]?.[j] ?? null);
    if (gain === null) return null;
    for (const key of GTT_KEYS) {
      const c = counts[key];
      counts[key] = { ...c, pNum: c.pNum + gain[key].p, rNum: c.rNum + gain[key].r };
    }
    return j;
  });
  return { counts, mapping, gold: golds, exact };
}

export type GttScoreRow = GttCounts & Prf;

export interface GttScore {
  readonly documents: number;
  /** incident_type and the five roles. */
  readonly keys: Readonly<Record<GttKey, GttScoreRow>>;
  /** Micro-average over incident_type and the five roles: the headline number. */
  readonly micro: GttScoreRow;
  /** Documents whose search stopped at `maxNodes`. */
  readonly inexactDocuments: number;
  /** Documents with more than `maxTemplates` predicted templates. */
  readonly cappedDocuments: number;
}

export interface GttDocumentPair {
  readonly pred: readonly Muc4Template[];
  readonly gold: readonly Muc4Template[];
}

function row(c: GttCounts): GttScoreRow {
  return { ...c, ...prf2(c.pNum, c.pDen, c.rNum, c.rDen) };
}

/** The GTT metric over a corpus: each document's best-mapping counts summed, then P / R / F1. */
export function gttScore(documents: Iterable<GttDocumentPair>, options: GttOptions = {}): GttScore {
  const maxTemplates = options.maxTemplates ?? 8;
  const totals = Object.fromEntries(GTT_KEYS.map((k) => [k, NO_GTT_COUNTS])) as Record<GttKey, GttCounts>;
  let n = 0;
  let inexact = 0;
  let capped = 0;
  for (const doc of documents) {
    n++;
    const s = gttDocument(doc.pred, doc.gold, options);
    if (!s.exact) inexact++;
    if (doc.pred.length > maxTemplates) capped++;
    for (const key of GTT_KEYS) totals[key] = addGttCounts(totals[key], s.counts[key]);
  }
  const micro = GTT_KEYS.reduce((acc, k) => addGttCounts(acc, totals[k]), NO_GTT_COUNTS);
  const keys = Object.fromEntries(GTT_KEYS.map((k) => [k, row(totals[k])])) as Record<GttKey, GttScoreRow>;
  return { documents: n, keys, micro: row(micro), inexactDocuments: inexact, cappedDocuments: capped };
}
