import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ATTACK_TYPES, ATTRIBUTIONS, type Count, TARGET_TYPES, WEAPON_TYPES } from '../extract/index.js';
import type { Incident, IncidentEvidence } from '../resolve/index.js';
import type { Document } from '../sources/index.js';
import { documentId } from '../sources/normalise.js';
import type { Knowledge } from './common.js';

/** One attack of the compiled history (`data/history/incidents.json`). */
const historyEntrySchema = z
  .object({
    /** Stable slug, e.g. `iskp-2021-08-26-kabul-airport`. */
    id: z.string().regex(/^[a-z0-9-]+$/),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    country: z.string().regex(/^[A-Z]{2}$/),
    city: z.string().nullable().optional(),
    /** Knowledge-base group id. */
    group: z.string(),
    attribution: z.enum(ATTRIBUTIONS),
    attack_types: z.array(z.enum(ATTACK_TYPES)).min(1),
    weapon_types: z.array(z.enum(WEAPON_TYPES)),
    target_types: z.array(z.enum(TARGET_TYPES)),
    /** Victims killed and wounded, as commonly reported (approximate). */
    killed: z.number().int().min(0).nullable(),
    wounded: z.number().int().min(0).nullable(),
    kidnapped: z.number().int().min(0).nullable().optional(),
    suicide: z.boolean(),
    outcome: z.enum(['carried_out', 'attempted', 'foiled']).optional(),
    /** Attackers' nationalities (ISO 3166-1 alpha-2). */
    nationalities: z.array(z.string().regex(/^[A-Z]{2}$/)).optional(),
    summary: z.string().min(1),
    /** Where the facts come from: "GTD", "widely reported", an outlet or a URL. */
    sources: z.array(z.string().min(1)).min(1),
  })
  .strict();

export const historyFileSchema = z
  .object({ about: z.string(), incidents: z.array(historyEntrySchema) })
  .strict()
  .superRefine((file, ctx) => {
    const ids = new Set(file.incidents.map((i) => i.id));
    if (ids.size !== file.incidents.length)
      ctx.addIssue({ code: 'custom', message: 'duplicate history entry id' });
  });

export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export type HistoryFile = z.infer<typeof historyFileSchema>;

/** Coordinates of a city in a country, when the gazetteer knows it. */
export type Locate = (city: string, country: string) => { lat: number; lon: number } | null;

export interface HistoryRecords {
  readonly documents: Document[];
  readonly incidents: Incident[];
}

/** The origin of a history entry's document: `history:<file>#<entry id>`, so every incident loaded from
 * the history says so wherever its sources are shown. */
export function historyOrigin(fileName: string, entryId: string): string {
  return `history:${fileName}#${entryId}`;
}

/**
 * Turns a parsed history file into documents and incidents ready for `store.saveImported`. Each entry
 * becomes one short document (a sentence stating the record, then its summary and sources) whose
 * origin is `history:<file>#<id>`, and one incident whose evidence points into that sentence. The
 * same file always gives the same ids, so loading it twice stores it once.
 */
export function historyRecords(
  file: HistoryFile,
  fileName: string,
  knowledge: Knowledge,
  locate: Locate = () => null,
): HistoryRecords {
  const documents: Document[] = [];
  const incidents: Incident[] = [];
  for (const entry of file.incidents) {
    const group = knowledge.groups.get(entry.group);
    if (group === undefined) throw new Error(`history entry ${entry.id}: unknown group ${entry.group}`);
    const country = knowledge.countries.get(entry.country);
    if (country === undefined) throw new Error(`history entry ${entry.id}: unknown country ${entry.country}`);
    const parts: { field: IncidentEvidence['field']; start: number; text: string; value: string }[] = [];
    let text = '';
    const add = (chunk: string, field?: IncidentEvidence['field'], value = chunk) => {
      if (field !== undefined) parts.push({ field, start: text.length, text: chunk, value });
      text += chunk;
    };
    add('On ');
    add(entry.date, 'date');
    add(' in ');
    if (entry.city) {
      add(entry.city, 'city');
      add(', ');
    }
    add(country.name, 'country', entry.country);
    add(`, an attack (${entry.attack_types.join(', ')}) ${attributionVerb(entry.attribution)} `);
    add(group.name, 'perpetrator_groups');
    add(' killed ');
    if (entry.killed === null) add('an unknown number');
    else add(String(entry.killed), 'killed');
    add(' and wounded ');
    if (entry.wounded === null) add('an unknown number of');
    else add(String(entry.wounded), 'wounded');
    add(
      ` people. ${entry.summary} Sources: ${entry.sources.join('; ')}. Compiled history entry ${entry.id}.`,
    );
    const docId = documentId(text);
    const evidence: IncidentEvidence[] = parts.map((p) => ({
      field: p.field,
      value: p.value,
      documentId: docId,
      start: p.start,
      end: p.start + p.text.length,
      text: p.text,
      sentence: text,
      inferred: false,
    }));
    const loc = entry.city ? locate(entry.city, entry.country) : null;
    documents.push({
      id: docId,
      text,
      title: `History: ${entry.id}`,
      url: null,
      outlet: entry.sources.join('; '),
      published: entry.date,
      language: 'eng',
      origin: historyOrigin(fileName, entry.id),
    });
    incidents.push({
      id: `h${createHash('sha256').update(`history:${entry.id}`).digest('hex').slice(0, 15)}`,
      date: { date: entry.date, precision: 'day' },
      country: entry.country,
      city: entry.city ?? null,
      lat: loc?.lat ?? null,
      lon: loc?.lon ?? null,
      placePrecision: loc ? 'city' : 'country',
      attackTypes: entry.attack_types,
      weaponTypes: entry.weapon_types,
      targetTypes: entry.target_types,
      targetText: [],
      perpetratorGroups: [
        {
          groupId: group.id,
          group: group.name,
          aliasesSeen: [group.name],
          attribution: entry.attribution,
          discovered: false,
        },
      ],
      perpetratorsMin: null,
      perpetratorsMax: null,
      perpetratorNationalities: entry.nationalities ?? [],
      perpetratorText: [],
      victimText: [],
      weaponText: [],
      physicalTargetText: [],
      killed: approximately(entry.killed),
      wounded: approximately(entry.wounded),
      kidnapped: approximately(entry.kidnapped ?? null),
      perpetratorsKilled: null,
      suicide: entry.suicide,
      outcome: entry.outcome ?? 'carried_out',
      sources: [docId],
      evidence,
    });
  }
  return { documents, incidents };
}

function approximately(n: number | null): Count | null {
  return n === null ? null : { value: n, min: n, max: n, qualifier: n === 0 ? 'exact' : 'approximately' };
}

function attributionVerb(attribution: HistoryEntry['attribution']): string {
  switch (attribution) {
    case 'claimed':
      return 'claimed by';
    case 'identified':
      return 'attributed by officials to';
    case 'suspected':
      return 'suspected to be by';
    default:
      return 'denied by';
  }
}
