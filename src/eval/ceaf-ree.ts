/**
 * CEAF-REE, the template-free role-filler metric of GRIT (Du, Rush & Cardie 2021, `eval.py`, φ strict):
 * per document and role, predicted entities are aligned one-to-one to gold entities, and a pair counts
 * when every (normalised) predicted mention is one of the gold entity's mentions.
 */
import { normaliseMention, type Prf, prf } from './scores.js';
import { MUC4_ROLES, type Muc4Entity, type Muc4Role, type Muc4Roles, type Muc4Template } from './types.js';

/**
 * Maximum bipartite matching (Kuhn's augmenting paths). With 0/1 weights its size equals the total of
 * the Hungarian assignment used by the GRIT scorer, so entity scores are exact, not a greedy bound.
 * Returns the matched `[row, col]` pairs, by row.
 */
export function maxBipartiteMatching(
  rows: number,
  cols: number,
  edge: (row: number, col: number) => boolean,
): Array<[number, number]> {
  const adjacency: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const list: number[] = [];
    for (let j = 0; j < cols; j++) if (edge(i, j)) list.push(j);
    adjacency.push(list);
  }
  const rowOfCol: number[] = new Array<number>(cols).fill(-1);
  const augment = (row: number, seen: boolean[]): boolean => {
    for (const col of adjacency[row] ?? []) {
      if (seen[col]) continue;
      seen[col] = true;
      const owner = rowOfCol[col] ?? -1;
      if (owner === -1 || augment(owner, seen)) {
        rowOfCol[col] = row;
        return true;
      }
    }
    return false;
  };
  for (let i = 0; i < rows; i++) augment(i, new Array<boolean>(cols).fill(false));
  const pairs: Array<[number, number]> = [];
  rowOfCol.forEach((row, col) => {
    if (row !== -1) pairs.push([row, col]);
  });
  return pairs.sort((a, b) => a[0] - b[0]);
}

/** φ strict: a predicted entity matches a gold entity iff it has a mention and every one of its
 * (normalised) mentions is one of the gold entity's (normalised) mentions. */
export function entityMatches(gold: Muc4Entity, pred: Muc4Entity): boolean {
  if (pred.length === 0) return false;
  const goldSet = new Set(gold.map(normaliseMention));
  return pred.every((m) => goldSet.has(normaliseMention(m)));
}

export interface MatchCounts {
  readonly matched: number;
  readonly predicted: number;
  readonly gold: number;
}

export const NO_COUNTS: MatchCounts = { matched: 0, predicted: 0, gold: 0 };

export function addCounts(a: MatchCounts, b: MatchCounts): MatchCounts {
  return { matched: a.matched + b.matched, predicted: a.predicted + b.predicted, gold: a.gold + b.gold };
}

/** One document, one role: predicted and gold entities aligned one-to-one. Gold entities with no
 * mention are ignored, as in the GRIT scorer. */
export function scoreEntities(pred: readonly Muc4Entity[], gold: readonly Muc4Entity[]): MatchCounts {
  const golds = gold.filter((g) => g.length > 0);
  const pairs = maxBipartiteMatching(pred.length, golds.length, (i, j) =>
    entityMatches(golds[j] ?? [], pred[i] ?? []),
  );
  return { matched: pairs.length, predicted: pred.length, gold: golds.length };
}

/**
 * A document's templates as one entity set per role (what CEAF-REE scores): entities that share a
 * normalised mention are coreferent and merged, across templates; mentions that normalise equal are
 * kept once. Entities come in order of first appearance.
 */
export function documentEntities(templates: readonly Muc4Template[]): Muc4Roles {
  const out = {} as Record<Muc4Role, Muc4Entity[]>;
  for (const role of MUC4_ROLES) out[role] = mergeCoreferent(templates.flatMap((t) => t[role]));
  return out;
}

function mergeCoreferent(entities: readonly Muc4Entity[]): Muc4Entity[] {
  const groups: Array<{ mentions: string[]; keys: Set<string> } | null> = [];
  const groupOfKey = new Map<string, number>();
  for (const entity of entities) {
    const keys = entity.map(normaliseMention).filter((k) => k !== '');
    if (keys.length === 0) continue;
    // Every existing group this entity touches is merged into the earliest of them.
    const touched = [...new Set(keys.map((k) => groupOfKey.get(k)).filter((g) => g !== undefined))].sort(
      (a, b) => a - b,
    );
    let target = touched[0];
    if (target === undefined) {
      target = groups.length;
      groups.push({ mentions: [], keys: new Set() });
    }
    const into = groups[target];
    if (!into) continue;
    for (const other of touched.slice(1)) {
      const from = groups[other];
      if (!from) continue;
      for (const m of from.mentions) addMention(into, m, groupOfKey, target);
      groups[other] = null;
    }
    for (const m of entity) addMention(into, m, groupOfKey, target);
  }
  return groups.filter((g) => g !== null).map((g) => g.mentions);
}

function addMention(
  group: { mentions: string[]; keys: Set<string> },
  mention: string,
  groupOfKey: Map<string, number>,
  index: number,
): void {
  const key = normaliseMention(mention);
  if (key === '') return;
  groupOfKey.set(key, index);
  if (group.keys.has(key)) return;
  group.keys.add(key);
  group.mentions.push(mention);
}

export type RoleScore = MatchCounts & Prf;

export interface CeafReeScore {
  readonly documents: number;
  readonly roles: Readonly<Record<Muc4Role, RoleScore>>;
  /** Micro-average over the five roles: the headline number. */
  readonly micro: RoleScore;
}

export interface CeafReeDocument {
  /** Predicted entities per role (for Vigil: `documentEntities(muc4Templates(incidents))`). */
  readonly pred: Muc4Roles;
  /** GRIT gold entities per role. */
  readonly gold: Muc4Roles;
}

export function withPrf(c: MatchCounts): RoleScore {
  return { ...c, ...prf(c.matched, c.predicted, c.gold) };
}

/** CEAF-REE over a corpus: counts summed over documents per role, then P / R / F1 and the micro-average. */
export function ceafRee(documents: Iterable<CeafReeDocument>): CeafReeScore {
  const totals = Object.fromEntries(MUC4_ROLES.map((r) => [r, NO_COUNTS])) as Record<Muc4Role, MatchCounts>;
  let n = 0;
  for (const doc of documents) {
    n++;
    for (const role of MUC4_ROLES)
      totals[role] = addCounts(totals[role], scoreEntities(doc.pred[role], doc.gold[role]));
  }
  const micro = MUC4_ROLES.reduce((acc, r) => addCounts(acc, totals[r]), NO_COUNTS);
  const roles = Object.fromEntries(MUC4_ROLES.map((r) => [r, withPrf(totals[r])])) as Record<
    Muc4Role,
    RoleScore
  >;
  return { documents: n, roles, micro: withPrf(micro) };
}
