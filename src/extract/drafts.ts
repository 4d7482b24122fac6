import { type Cluster, type DocumentContext, factsOf, findClusters } from './clusters.js';
import { evidenceOf } from './evidence.js';
import { weaponsNamed } from './fields/attack.js';
import { bestCount, type CasualtyFigure, tollOf } from './fields/casualties.js';
import { isPhysical, namedPeople, perpetratorPhrases } from './fields/people.js';
import { findNationalities, groupAliases } from './fields/perpetrators.js';
import { chooseTypes, typeCandidates } from './fields/types-model.js';
import {
  ATTRIBUTIONS,
  type Count,
  type DateValue,
  type Field,
  type IncidentDraft,
  type PerpetratorGroup,
} from './types.js';

export type { DocumentContext } from './clusters.js';

/** Phrases once each, however they are capitalised. */
function uniqueText(fields: readonly Field<string>[]): Field<string>[] {
  return unique(fields.map((f) => ({ ...f, value: f.value.toLowerCase() }))).map((f) => ({
    ...f,
    value: f.evidence[0]?.text ?? f.value,
  }));
}

function unique<T>(fields: readonly Field<T>[], limit = Number.POSITIVE_INFINITY): Field<T>[] {
  const byValue = new Map<string, Field<T>>();
  for (const f of fields) {
    const key = JSON.stringify(f.value);
    const seen = byValue.get(key);
    if (seen)
      byValue.set(key, {
        ...seen,
        evidence: [...seen.evidence, ...f.evidence],
        inferred: seen.inferred && f.inferred,
      });
    else if (byValue.size < limit) byValue.set(key, f);
  }
  return [...byValue.values()];
}

function strongest(fields: readonly Field<PerpetratorGroup>[]): Field<PerpetratorGroup>[] {
  const byGroup = new Map<string, Field<PerpetratorGroup>>();
  for (const f of fields) {
    const seen = byGroup.get(f.value.groupId);
    const rank = (a: PerpetratorGroup) => ATTRIBUTIONS.indexOf(a.attribution);
    if (!seen) byGroup.set(f.value.groupId, f);
    else {
      const [keep, other] = rank(f.value) < rank(seen.value) ? [f, seen] : [seen, f];
      byGroup.set(f.value.groupId, { ...keep, evidence: [...keep.evidence, ...other.evidence] });
    }
  }
  return [...byGroup.values()];
}

/** The date of an attack the text does not date: the publication day, marked approximate, with the
 * attack word that reports it as (inferred) evidence. Incidents older than a month are dropped as
 * history when they are dated; an undated one is reported as news, so it happened in the days before
 * publication. Without it a report could never be compared with the dated reports of the same attack
 * (src/resolve/match.ts reads it as a window of days before publication). */
function publicationDate(ctx: DocumentContext, c: Cluster): Field<DateValue> | null {
  if (!ctx.published) return null;
  const part = c.parts.find((p) => p.role === 'report' && p.mentions.length > 0) ?? c.parts[0];
  const mention = part?.mentions[0];
  if (!part || !mention) return null;
  const evidence = evidenceOf(ctx.documentId, ctx.text, part.s, mention.match.from, mention.match.to);
  const date = ctx.published.toISOString().slice(0, 10);
  return { value: { date, precision: 'day', approximate: true }, evidence: [evidence], inferred: true };
}

/** "Taliban" in an article that also names the "Pakistani Taliban" (another group) means the latter:
 * a group whose written name sits inside another linked group's written name gives way to it. */
function withoutShorterNames(
  groups: readonly Field<PerpetratorGroup>[],
  aliasesById: ReadonlyMap<string, ReadonlySet<string>>,
): Field<PerpetratorGroup>[] {
  const inside = (short: string, long: string) =>
    long.length > short.length && ` ${long.toLowerCase()} `.includes(` ${short.toLowerCase()} `);
  return groups.filter(
    (g) =>
      !groups.some(
        (other) =>
          other.value.groupId !== g.value.groupId &&
          [...(aliasesById.get(other.value.groupId) ?? [])].some((long) => inside(g.value.alias, long)),
      ),
  );
}

/** One incident's fields from its sentences, each value with all the evidence for it. */
function draftOf(ctx: DocumentContext, c: Cluster, ordinal: number): IncidentDraft {
  const { documentId, text } = ctx;
  // Attack, weapon and target candidates of the rules, for the models to choose from.
  const candidates = typeCandidates(documentId, text, c.parts);
  const { targets } = candidates;
  const groups: Field<PerpetratorGroup>[] = [];
  const killed: CasualtyFigure[] = [];
  const wounded: CasualtyFigure[] = [];
  const kidnapped: Field<Count>[] = [];
  const attackersKilled: CasualtyFigure[] = [];
  const suicide: Field<true>[] = [];
  const outcomes: Field<'foiled' | 'attempted'>[] = [];
  const nationalities: Field<string>[] = [];
  const attackerPhrases: Field<string>[] = [];
  const victims: Field<string>[] = [];
  const weaponPhrases: Field<string>[] = [];
  let attackers: Field<Count> | null = null;
  const tokensOf = (sentence: number) => ctx.sentences[sentence]?.sentence.tokens ?? [];
  for (const { s, mentions } of c.parts) {
    const named = weaponsNamed(documentId, text, s);
    const facts = factsOf(ctx, s);
    for (const figure of facts.casualties) {
      if (figure.kind === 'killed') killed.push(figure);
      else if (figure.kind === 'wounded') wounded.push(figure);
      else if (figure.kind === 'kidnapped') kidnapped.push(figure.field);
      else attackersKilled.push(figure);
    }
    nationalities.push(...findNationalities(documentId, text, s));
    // Attackers as worded in a sentence about the attack or its toll, not in the background.
    if (mentions.length > 0 || facts.casualties.length > 0)
      attackerPhrases.push(...perpetratorPhrases(documentId, text, s));
    weaponPhrases.push(...named.map((w) => ({ ...w, value: w.evidence[0]?.text ?? '' })));
    // Named people in a sentence about the attack or its toll are its victims.
    if (mentions.length > 0 || facts.casualties.length > 0) victims.push(...namedPeople(documentId, text, s));
    attackers ??= facts.attackers;
    for (const m of s.suicideWords) {
      suicide.push({
        value: true,
        evidence: [evidenceOf(documentId, text, s, m.from, m.to)],
        inferred: false,
      });
    }
    for (const m of s.outcomeWords) {
      const evidence = [evidenceOf(documentId, text, s, m.from, m.to)];
      for (const o of m.entries) outcomes.push({ value: o, evidence, inferred: false });
    }
  }
  // A coordinated operation is claimed or attributed as a whole ("claimed both attacks").
  // An incident told as history has no operation of its own: its own sentences then.
  const operationParts = (c.operation.length > 0 ? c.operation : [c]).flatMap((o) => o.parts);
  for (const { s } of operationParts) groups.push(...factsOf(ctx, s).groups);
  const aliasesById = new Map<string, Set<string>>();
  for (const { s } of operationParts) {
    for (const a of groupAliases(text, s, ctx.countriesNamed)) {
      if (!aliasesById.has(a.groupId)) aliasesById.set(a.groupId, new Set());
      aliasesById.get(a.groupId)?.add(a.alias);
    }
  }
  const linked = withoutShorterNames(strongest(groups), aliasesById).map((f) => ({
    ...f,
    value: { ...f.value, aliasesSeen: [...(aliasesById.get(f.value.groupId) ?? [f.value.alias])] },
  }));
  return {
    documentId,
    ordinal,
    date: c.date ?? publicationDate(ctx, c),
    // The dateline says where the story was filed: closer to the attack than the country named most.
    place: c.place ?? c.parts.find((p) => p.place)?.place ?? ctx.dateline?.place ?? ctx.mainCountry,
    ...chooseTypes(documentId, text, c.parts, candidates, ctx.sentences),
    targetText: unique(targets.map((t) => t.text)),
    // The dictionary word decides: "jesuit priests" are people because "priests" are.
    physicalTargetText: unique(targets.filter((t) => isPhysical(t.head)).map((t) => t.text)),
    perpetrators: linked,
    perpetratorsCount: attackers,
    perpetratorNationalities: unique(nationalities),
    perpetratorText: uniqueText(attackerPhrases),
    victimText: uniqueText(victims),
    weaponText: uniqueText(weaponPhrases),
    killed: tollOf(killed, tokensOf),
    wounded: tollOf(wounded, tokensOf),
    perpetratorsKilled: tollOf(attackersKilled, tokensOf),
    kidnapped: bestCount(kidnapped),
    suicide: unique(suicide)[0] ?? null,
    // Any tolls mean the attack took place, whatever else was foiled.
    outcome: killed.length > 0 || wounded.length > 0 ? null : (unique(outcomes)[0] ?? null),
  };
}

export function draftIncidents(ctx: DocumentContext): IncidentDraft[] {
  return findClusters(ctx).map((c, i) => draftOf(ctx, c, i));
}
