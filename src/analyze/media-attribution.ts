import { readFileSync } from 'node:fs';
import { isMixedCase } from '../extract/annotate.js';
import { acceptsForm, nameGazetteer } from '../extract/names.js';
import { Gazetteer } from '../extract/text/gazetteer.js';
import { phraseKey, type Token, tokenize } from '../extract/text/tokens.js';
import { dataPath } from '../knowledge/data-path.js';
import type { ArmedGroup } from '../knowledge/groups.js';

/**
 * Who published a media item and whom it addresses, each with evidence: a short snippet (at most
 * `SNIPPET_LIMIT` characters) around the words that say it, never the item's text.
 */

export const SNIPPET_LIMIT = 200;

export interface MediaEvidence {
  /** Where the words are: the channel's name or the item's text. */
  readonly where: 'channel' | 'text';
  /** Character span of the match in the channel name or text. */
  readonly start: number;
  readonly end: number;
  /** The words matched, as written. */
  readonly match: string;
  /** The match with a little context, at most 200 characters. */
  readonly snippet: string;
  /** What it is evidence for: the group id (attribution) or the country code (audience). */
  readonly about?: string;
}

export interface MediaAttribution {
  readonly groupId: string;
  readonly groupName: string;
  /** The media arm (as `groups.json` names it), or null when only the group named itself. */
  readonly mediaArm: string | null;
  /** `channel`: the channel is the arm's or the group's; `text`: the item names its publisher. */
  readonly method: 'channel' | 'text';
  readonly evidence: MediaEvidence;
}

export interface MediaAudience {
  /** ISO 3166-1 alpha-2 code of the country or diaspora addressed. */
  readonly code: string;
  /** `name`: the text names the country or its people; `language`: the item is in its language. */
  readonly via: 'name' | 'language';
  readonly evidence: MediaEvidence | null;
}

interface ArmEntry {
  readonly groupId: string;
  readonly arm: string;
}

const ARM_ALIASES = JSON.parse(readFileSync(dataPath('media/arms.json'), 'utf8')) as Record<string, string[]>;
const AUDIENCES = JSON.parse(readFileSync(dataPath('media/audiences.json'), 'utf8')) as {
  names: Record<string, string[]>;
  languages: Record<string, string>;
};

/** How far into the text (and from its end) a group's own name counts as its signature. */
const SIGNATURE_CHARS = 300;

let arms: { readonly groups: readonly ArmedGroup[]; readonly gazetteer: Gazetteer<ArmEntry> } | undefined;

function armGazetteer(groups: readonly ArmedGroup[]): Gazetteer<ArmEntry> {
  if (arms?.groups === groups) return arms.gazetteer;
  const g = new Gazetteer<ArmEntry>();
  for (const group of groups) {
    for (const arm of group.media_arms) {
      for (const name of new Set([arm, ...(ARM_ALIASES[arm] ?? [])]))
        g.add(phraseKey(name), { groupId: group.id, arm });
    }
  }
  arms = { groups, gazetteer: g };
  return g;
}

let audienceNames: Gazetteer<string> | undefined;
function audienceGazetteer(): Gazetteer<string> {
  if (audienceNames) return audienceNames;
  const g = new Gazetteer<string>();
  for (const [code, names] of Object.entries(AUDIENCES.names))
    for (const n of names) g.add(phraseKey(n), code);
  audienceNames = g;
  return g;
}

/** The words [from, to) of `text` with some context, cut at spaces, at most 200 characters. */
export function snippetAround(text: string, start: number, end: number): string {
  const room = Math.max(0, SNIPPET_LIMIT - 2 - (end - start));
  let from = Math.max(0, start - Math.floor(room / 2));
  let to = Math.min(text.length, end + (room - (start - from)));
  from = Math.max(0, Math.min(from, start - (room - (to - end))));
  if (from > 0) {
    const space = text.indexOf(' ', from);
    if (space !== -1 && space < start) from = space + 1;
  }
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > end) to = space;
  }
  const body = text.slice(from, to).replace(/\s+/g, ' ').trim();
  const out = `${from > 0 ? '…' : ''}${body}${to < text.length ? '…' : ''}`;
  return [...out].length <= SNIPPET_LIMIT ? out : `${[...out].slice(0, SNIPPET_LIMIT - 1).join('')}…`;
}

function evidence(
  where: MediaEvidence['where'],
  text: string,
  tokens: readonly Token[],
  from: number,
  to: number,
  about: string,
): MediaEvidence {
  const start = tokens[from]?.start ?? 0;
  const end = tokens[to - 1]?.end ?? start;
  return {
    where,
    start,
    end,
    match: text.slice(start, end),
    snippet: snippetAround(text, start, end),
    about,
  };
}

interface Found {
  readonly groupId: string;
  readonly arm: string | null;
  readonly from: number;
  readonly to: number;
}

function armsIn(tokens: readonly Token[], groups: readonly ArmedGroup[]): Found[] {
  return armGazetteer(groups)
    .match(tokens)
    .flatMap((m) =>
      m.entries.slice(0, 1).map((e) => ({ groupId: e.groupId, arm: e.arm, from: m.from, to: m.to })),
    );
}

function groupsIn(text: string, tokens: readonly Token[], known: ReadonlySet<string>): Found[] {
  const mixed = isMixedCase(text);
  return nameGazetteer()
    .match(tokens)
    .flatMap((m) => {
      const written = text.slice(tokens[m.from]?.start, tokens[m.to - 1]?.end);
      const ids = [
        ...new Set(
          m.entries
            .filter(
              (e) =>
                e.kind === 'group' && known.has(e.groupId) && acceptsForm(e, written, mixed, m.from === 0),
            )
            .map((e) => (e.kind === 'group' ? e.groupId : '')),
        ),
      ];
      // A name two groups share says nothing about which.
      return ids.length === 1 ? [{ groupId: ids[0] as string, arm: null, from: m.from, to: m.to }] : [];
    });
}

/** The most specific of the groups found: one whose parent was also found wins ("Islamic State
 * Khorasan Province" over "Islamic State"); else the first. */
function mostSpecific(found: readonly Found[], byId: ReadonlyMap<string, ArmedGroup>): Found | undefined {
  const ids = new Set(found.map((f) => f.groupId));
  return (
    found.find((f) => {
      const parent = byId.get(f.groupId)?.parent;
      return parent != null && ids.has(parent);
    }) ?? found[0]
  );
}

/**
 * The group (and media arm) that published an item: by its channel's name (a media arm's name or
 * spelling, else a group's name or alias), else by the item naming its publisher — a media arm
 * anywhere in the text ("Al-Azaim Foundation presents"), or a group's own name in its first or last
 * 300 characters (its signature). Null when neither says.
 */
export function attributeMediaItem(
  item: { readonly channel: string; readonly text: string },
  groups: readonly ArmedGroup[],
): MediaAttribution | null {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const known = new Set(byId.keys());
  const make = (
    found: Found | undefined,
    where: MediaEvidence['where'],
    text: string,
    tokens: readonly Token[],
  ) => {
    if (!found) return null;
    const group = byId.get(found.groupId);
    if (!group) return null;
    return {
      groupId: group.id,
      groupName: group.name,
      mediaArm: found.arm,
      method: where,
      evidence: evidence(where, text, tokens, found.from, found.to, group.id),
    } satisfies MediaAttribution;
  };
  const channelTokens = tokenize(item.channel);
  const byChannel =
    make(armsIn(channelTokens, groups)[0], 'channel', item.channel, channelTokens) ??
    make(
      mostSpecific(groupsIn(item.channel, channelTokens, known), byId),
      'channel',
      item.channel,
      channelTokens,
    );
  if (byChannel) return byChannel;
  const tokens = tokenize(item.text);
  const arm = armsIn(tokens, groups)[0];
  if (arm) return make(arm, 'text', item.text, tokens);
  const signature = groupsIn(item.text, tokens, known).filter((f) => {
    const start = tokens[f.from]?.start ?? 0;
    return start < SIGNATURE_CHARS || start >= item.text.length - SIGNATURE_CHARS;
  });
  return make(mostSpecific(signature, byId), 'text', item.text, tokens);
}

/**
 * Countries (or their diasporas) an item addresses: those it names, or whose people it names (in
 * English and Russian from the extractor's gazetteer, in the region's other languages from
 * `data/media/audiences.json`), and the country of a language spoken mainly there (Tajik → TJ). One
 * entry per country, with the first mention as evidence.
 */
export function mediaAudiences(text: string, language: string | null): MediaAudience[] {
  const tokens = tokenize(text);
  const found = new Map<string, MediaAudience>();
  const add = (code: string, from: number, to: number) => {
    if (!found.has(code))
      found.set(code, { code, via: 'name', evidence: evidence('text', text, tokens, from, to, code) });
  };
  const mixed = isMixedCase(text);
  const spans: { from: number; to: number; code: string }[] = [];
  for (const m of nameGazetteer().match(tokens)) {
    if (m.entries.some((e) => e.kind === 'group')) continue;
    const written = text.slice(tokens[m.from]?.start, tokens[m.to - 1]?.end);
    const e = m.entries.find(
      (x) => (x.kind === 'country' || x.kind === 'demonym') && acceptsForm(x, written, mixed, m.from === 0),
    );
    if (e && (e.kind === 'country' || e.kind === 'demonym'))
      spans.push({ from: m.from, to: m.to, code: e.code });
  }
  for (const m of audienceGazetteer().match(tokens))
    spans.push({ from: m.from, to: m.to, code: m.entries[0] as string });
  spans.sort((a, b) => a.from - b.from);
  for (const s of spans) add(s.code, s.from, s.to);
  const spoken = language ? AUDIENCES.languages[language] : undefined;
  if (spoken && !found.has(spoken)) found.set(spoken, { code: spoken, via: 'language', evidence: null });
  return [...found.values()];
}

/** The country whose language this mainly is (Tajik → TJ), or null. */
export function languageCountry(language: string | null): string | null {
  return (language && AUDIENCES.languages[language]) || null;
}
