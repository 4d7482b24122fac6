import { readdirSync, readFileSync } from 'node:fs';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import type { Incident } from '../../src/resolve/index.js';
import { documentId } from '../../src/sources/index.js';

/** An expected record in test/fixtures/samples, written by hand from the article alone. */
export interface ExpectedIncident {
  date: string;
  country: string;
  city: string | null;
  attack_types: string[];
  weapon_types: string[];
  target_types: string[];
  perpetrator_groups: { group: string; attribution: string }[];
  perpetrators_min: number | null;
  perpetrator_nationalities: string[];
  killed: number | null;
  wounded: number | null;
}

export interface Sample {
  slug: string;
  text: string;
  published: string;
  incidents: ExpectedIncident[];
}

const fixtures = new URL('../fixtures/samples/', import.meta.url);
const samples = new URL('../../samples/', import.meta.url);

export function loadSamples(): Sample[] {
  return readdirSync(fixtures)
    .filter((f) => f.endsWith('.expected.json'))
    .sort()
    .map((f) => {
      const expected = JSON.parse(readFileSync(new URL(f, fixtures), 'utf8'));
      return {
        slug: f.replace('.expected.json', ''),
        text: readFileSync(new URL(expected.file, samples), 'utf8'),
        published: expected.published,
        incidents: expected.incidents,
      };
    });
}

const groups = new Map(loadGroups().map((g) => [g.id, g]));

export function extractSample(sample: Sample): Incident[] {
  const id = documentId(sample.text);
  return incidentsOf(
    {
      id,
      text: sample.text,
      published: sample.published,
      title: null,
      url: null,
      outlet: null,
      language: 'eng',
      origin: sample.slug,
    },
    groups,
  );
}

const sorted = (xs: readonly string[]) => [...xs].sort();

/** Field-by-field agreement of one extracted incident with its expected record. */
export function agreement(got: Incident | undefined, want: ExpectedIncident): Record<string, boolean> {
  return {
    date: got?.date?.date === want.date,
    country: got?.country === want.country,
    city: got?.city === want.city,
    attack_types:
      JSON.stringify(sorted(got?.attackTypes ?? [])) === JSON.stringify(sorted(want.attack_types)),
    weapon_types: want.weapon_types.every((w) => got?.weaponTypes.includes(w as never)),
    target_types: want.target_types.every((t) => got?.targetTypes.includes(t as never)),
    perpetrator_groups:
      JSON.stringify(sorted((got?.perpetratorGroups ?? []).map((g) => `${g.group}:${g.attribution}`))) ===
      JSON.stringify(sorted(want.perpetrator_groups.map((g) => `${g.group}:${g.attribution}`))),
    perpetrators_min: (got?.perpetratorsMin ?? null) === want.perpetrators_min,
    perpetrator_nationalities:
      JSON.stringify(sorted(got?.perpetratorNationalities ?? [])) ===
      JSON.stringify(sorted(want.perpetrator_nationalities)),
    killed: (got?.killed?.value ?? null) === want.killed,
    wounded: (got?.wounded?.value ?? null) === want.wounded,
  };
}
