import type { Count } from '../extract/index.js';
import type { Incident } from './incident.js';
import { attackTypesAgree, namesakeTowns, siteNames } from './names.js';

/** One document's account of one incident, as extracted from that document alone. */
export interface Report {
  /** The incident id the draft would have on its own (`incidentId(document, ordinal)`). */
  readonly id: string;
  readonly documentId: string;
  /** Position of the draft in its document. */
  readonly ordinal: number;
  /** Publication date of the document (ISO), or null. */
  readonly published: string | null;
  readonly incident: Incident;
}

/** How alike two reports are, and why. `veto` names what makes them different incidents. */
export interface MatchScore {
  readonly score: number;
  readonly reasons: readonly string[];
  readonly veto: string | null;
}

/** Score at which two reports are taken for the same incident. */
export const MERGE_THRESHOLD = 3;
const NEARBY_KM = 50;
/** How many days before its publication an undated report's attack may be: a week, as follow-ups
 * ("the four-day siege is over", "a week after the attack") come that late. The store's neighbourhood
 * of a report reaches as far (src/store/resolution.ts), so that the incidents do not depend on the
 * order the reports arrive in. */
export const APPROXIMATE_DAYS = 7;
/** Within this many days of its publication an undated report's fit with a stated day earns half a
 * point; later it only escapes the veto (a late follow-up must agree on other fields). */
export const RECENT_DAYS = 3;
const EARTH_KM = 6371;

function distanceKm(a: Incident, b: Incident): number | null {
  if (a.lat === null || a.lon === null || b.lat === null || b.lon === null) return null;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.sqrt(h));
}

const days = (a: string, b: string) => Math.abs(Date.parse(a) - Date.parse(b)) / 86_400_000;
const overlap = <T>(a: readonly T[], b: readonly T[]) => a.filter((x) => b.includes(x));
const words = (texts: readonly string[]) =>
  new Set(
    texts
      .join(' ')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 2),
  );

/** Whether the report's town is stated for the attack rather than only inferred (a dateline says where
 * the story was filed, often the capital). */
function statedTown(i: Incident): boolean {
  const evidence = i.evidence.filter((e) => e.field === 'city');
  return evidence.length === 0 || evidence.some((e) => !e.inferred);
}

/** The values of a type field that a word of the report states: not those whose evidence is all
 * inferred (as in `statedTown`, a value without evidence counts). */
function stated<T extends string>(
  i: Incident,
  field: 'attack_types' | 'target_types',
  values: readonly T[],
): T[] {
  return values.filter((v) => {
    const evidence = i.evidence.filter((e) => e.field === field && e.value === v);
    return evidence.length === 0 || evidence.some((e) => !e.inferred);
  });
}

/** Tolls grow as reports come in ("at least 40" → 139); only wildly different ones argue against. */
function tollsAgree(a: Count, b: Count): boolean | null {
  const x = a.value ?? a.min;
  const y = b.value ?? b.min;
  if (x === 0 && y === 0) return null;
  const [low, high] = x < y ? [x, y] : [y, x];
  if (high - low <= 5) return true;
  return high <= low * 5;
}

/**
 * Whether two reports describe the same incident: points for each field they share (same day, same
 * town, same attack type, same group, compatible tolls, same targets, a site named alike), and a
 * veto for what two accounts of one attack cannot disagree on (country, a town far away, dates days
 * apart, different groups each named firmly). A town named alike in two countries earns a point, not
 * a veto, when one report never names its country (the gazetteer guessed between namesakes). A
 * report with no country needs a point more; one the text does not date carries its publication day
 * as an approximate date, which earns half a point against a stated day up to RECENT_DAYS before it,
 * nothing up to APPROXIMATE_DAYS before, and vetoes any other; one with no date at all never merges
 * on points alone (clustering dates it by its publication).
 */
export function scoreMatch(
  a: Incident,
  b: Incident,
  related: (x: string, y: string) => boolean = () => false,
): MatchScore {
  const reasons: string[] = [];
  const apart = (why: string): MatchScore => ({ score: 0, reasons, veto: why });
  // A town named alike in two countries is one town when one report only guessed the country.
  const namesakes = a.country !== null && b.country !== null && a.country !== b.country;
  if (namesakes && !namesakeTowns(a, b)) return apart(`different countries (${a.country}, ${b.country})`);
  if (a.date === null || b.date === null) return apart('no date to compare');
  let score = 0;
  // A report that places the attack nowhere can join on other evidence, at a cost.
  if (a.country === null || b.country === null) {
    score -= 1;
    reasons.push('one report gives no country');
  }
  const gap = days(a.date.date, b.date.date);
  if (a.date.approximate || b.date.approximate) {
    // A report whose text gives no date is dated by its publication (src/extract/drafts.ts): the
    // attack came in the days up to it. It fits a stated day at most APPROXIMATE_DAYS before (a day
    // after, for time zones); two undated reports published a few days apart (follow-ups of one
    // siege) say nothing either way, further apart they are different news.
    const [approx, other] = a.date.approximate ? [a.date, b.date] : [b.date, a.date];
    if (other.precision !== 'day') return apart('no date to compare');
    const before = (Date.parse(approx.date) - Date.parse(other.date)) / 86_400_000;
    if (other.approximate) {
      if (Math.abs(before) > RECENT_DAYS)
        return apart(
          `no date in either, published ${Math.abs(before)} days apart (${other.date}, ${approx.date})`,
        );
      reasons.push(`no date in either, published ${Math.abs(before)} days apart`);
    } else {
      if (before > APPROXIMATE_DAYS || before < -1)
        return apart(`published ${before} days after the date (${other.date}, ${approx.date})`);
      const recent = before <= RECENT_DAYS;
      if (recent) score += 0.5;
      reasons.push(`undated, published ${before} days after (${other.date})${recent ? '' : ', no points'}`);
    }
  } else if (a.date.precision === 'day' && b.date.precision === 'day') {
    if (gap > 2) return apart(`dates ${gap} days apart (${a.date.date}, ${b.date.date})`);
    score += gap === 0 ? 2 : 1;
    reasons.push(
      gap === 0 ? `same day (${a.date.date})` : `dates a day apart (${a.date.date}, ${b.date.date})`,
    );
  } else if (a.date.date.slice(0, 7) === b.date.date.slice(0, 7) || gap <= 31) {
    score += 0.5;
    reasons.push(`same month (${a.date.date.slice(0, 7)})`);
  } else return apart(`different months (${a.date.date}, ${b.date.date})`);

  if (namesakes) {
    score += 1;
    reasons.push(`same town name (${a.city}), namesakes in ${a.country} and ${b.country}`);
  } else if (a.city !== null && b.city !== null) {
    const km = distanceKm(a, b);
    if (a.city.toLowerCase() === b.city.toLowerCase()) {
      score += 2;
      reasons.push(`same town (${a.city})`);
    } else if (km !== null && km <= NEARBY_KM) {
      score += 1;
      reasons.push(`towns ${Math.round(km)} km apart (${a.city}, ${b.city})`);
    } else if (statedTown(a) && statedTown(b)) return apart(`different towns (${a.city}, ${b.city})`);
    else reasons.push(`towns differ, one only where the story was filed (${a.city}, ${b.city})`);
  }

  // "Unknown" says nothing either way; nor does a type no word of the report states (one a learned
  // scorer chose from the whole text).
  const known = <T>(types: readonly T[]) => types.filter((t) => t !== 'unknown');
  const attackTypes = (i: Incident) => known(stated(i, 'attack_types', i.attackTypes));
  const attacks = overlap(attackTypes(a), attackTypes(b));
  if (attacks.length > 0) {
    score += 1;
    reasons.push(`both ${attacks.join(', ')}`);
  } else if (attackTypes(a).length > 0 && attackTypes(b).length > 0) {
    const compatible = attackTypes(a).some((x) => attackTypes(b).some((y) => attackTypesAgree(x, y)));
    if (compatible)
      reasons.push(`attack types one attack can have (${a.attackTypes[0]}, ${b.attackTypes[0]})`);
    else {
      score -= 1;
      reasons.push(`different attack types (${a.attackTypes[0]}, ${b.attackTypes[0]})`);
    }
  }

  const firm = (i: Incident) =>
    i.perpetratorGroups.filter((g) => g.attribution === 'claimed' || g.attribution === 'identified');
  const shared = overlap(
    a.perpetratorGroups.map((g) => g.groupId),
    b.perpetratorGroups.map((g) => g.groupId),
  );
  if (shared.length > 0) {
    score += 2;
    reasons.push(`both name ${shared.join(', ')}`);
  } else if (firm(a).length > 0 && firm(b).length > 0) {
    // Sources often name the parent for the branch ("Islamic State" for ISKP): kin groups do not veto.
    const kin = firm(a).some((x) => firm(b).some((y) => related(x.groupId, y.groupId)));
    if (!kin) return apart(`different groups (${firm(a)[0]?.group}, ${firm(b)[0]?.group})`);
    reasons.push(`related groups (${firm(a)[0]?.group}, ${firm(b)[0]?.group})`);
  }

  if (a.killed && b.killed) {
    const agree = tollsAgree(a.killed, b.killed);
    if (agree === true) {
      score += 1;
      reasons.push(
        `tolls agree (${a.killed.value ?? a.killed.min}, ${b.killed.value ?? b.killed.min} killed)`,
      );
    } else if (agree === false) {
      score -= 1;
      reasons.push(
        `tolls far apart (${a.killed.value ?? a.killed.min}, ${b.killed.value ?? b.killed.min} killed)`,
      );
    }
  }

  const targetTypes = (i: Incident) => known(stated(i, 'target_types', i.targetTypes));
  const targets = overlap(targetTypes(a), targetTypes(b));
  const targetWords = overlap([...words(a.targetText)], [...words(b.targetText)]);
  const targetNamed = overlap(siteNames(a), siteNames(b));
  if (targetNamed.length > 0) {
    // A target named by its own name ("the Westgate mall") is that one place, not any mall.
    score += 2;
    reasons.push(`same named target (${targetNamed.slice(0, 3).join(' ')})`);
  } else if (targetWords.length > 0) {
    score += 1;
    reasons.push(`same target (${targetWords.slice(0, 3).join(' ')})`);
  } else if (targets.length === 0 && targetTypes(a).length > 0 && targetTypes(b).length > 0) {
    score -= 3;
    reasons.push(`different targets (${a.targetTypes[0]}, ${b.targetTypes[0]})`);
  }
  return { score, reasons, veto: null };
}
