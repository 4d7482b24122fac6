import type { Evidence, ReactionKind } from '../extract/index.js';
import type { Incident } from '../resolve/index.js';
import { sortedSet } from './common.js';

/** A state's reaction as the analysis needs it (what `store.reactions.listReactions()` gives). */
export interface ReactionInput {
  readonly id: string;
  readonly kind: ReactionKind;
  readonly actor: { readonly country: string; readonly text: string };
  readonly target: string | null;
  readonly incident: string | null;
  readonly evidence: Evidence;
}

/** Reactions of one state to another, of one kind: `from` reacts, `to` is whom it blames, threatens,
 * sanctions or comforts, else the country of the incident it reacts to. */
export interface ReactionLink {
  readonly kind: ReactionKind;
  readonly from: string;
  readonly to: string;
  readonly reactions: readonly string[];
  readonly incidents: readonly string[];
}

/** The country a reaction points at: its target, else the country of its incident; null when neither
 * is known or it is the reacting state itself (Russia condemning an attack in Russia). */
export function reactionCountry(
  reaction: ReactionInput,
  incidents: ReadonlyMap<string, Pick<Incident, 'country'>>,
): string | null {
  const to =
    reaction.target ??
    (reaction.incident === null ? null : (incidents.get(reaction.incident)?.country ?? null));
  return to === null || to === reaction.actor.country ? null : to;
}

/** Reactions merged into country → country links by kind and pair, in a stable order. */
export function reactionLinks(
  reactions: readonly ReactionInput[],
  incidents: readonly Incident[],
): ReactionLink[] {
  const byId = new Map(incidents.map((i) => [i.id, i]));
  const merged = new Map<
    string,
    { kind: ReactionKind; from: string; to: string; r: string[]; i: string[] }
  >();
  for (const r of reactions) {
    const to = reactionCountry(r, byId);
    if (to === null) continue;
    const key = `${r.kind}|${r.actor.country}|${to}`;
    const link = merged.get(key) ?? { kind: r.kind, from: r.actor.country, to, r: [], i: [] };
    link.r.push(r.id);
    if (r.incident !== null) link.i.push(r.incident);
    merged.set(key, link);
  }
  return [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, l]) => ({
      kind: l.kind,
      from: l.from,
      to: l.to,
      reactions: sortedSet(l.r),
      incidents: sortedSet(l.i),
    }));
}
