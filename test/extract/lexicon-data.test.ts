import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { REACTION_KINDS } from '../../src/extract/fields/reactions.js';
import { phraseKey } from '../../src/extract/text/tokens.js';
import { ATTACK_TYPES, ATTRIBUTIONS, TARGET_TYPES, WEAPON_TYPES } from '../../src/extract/types.js';

const dir = new URL('../../data/lexicon/', import.meta.url);
const read = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const phrase = z.string().refine((p) => phraseKey(p) !== '', 'a phrase must contain a word');
const phrases = z.array(phrase).min(1);
/** An object whose only other keys are `$comment…` notes. */
const withComments = <T extends z.ZodRawShape>(shape: T) =>
  z.preprocess(
    (v) => Object.fromEntries(Object.entries(v as object).filter(([k]) => !k.startsWith('$'))),
    z.object(shape).strict(),
  );
/** Phrase lists keyed by a GTD vocabulary (`$comment` notes aside). */
const listsByType = (vocabulary: readonly string[]) =>
  z
    .record(z.string(), z.union([z.string(), phrases]))
    .refine(
      (r) => Object.keys(r).every((k) => k.startsWith('$') || vocabulary.includes(k)),
      'keys must be GTD types',
    );
const sides = z.object({ before: z.array(phrase), after: z.array(phrase) }).strict();

const schemas: Record<string, z.ZodType> = {
  'triggers.json': withComments({
    events: z.array(
      z
        .object({
          attack_type: z.enum(ATTACK_TYPES).nullable(),
          weapon_type: z.enum(WEAPON_TYPES).nullable(),
          phrases,
        })
        .strict(),
    ),
    plural: phrases,
    anaphoric_only: phrases,
    state_action: phrases,
    attacker_words: phrases,
    suicide_words: phrases,
  }),
  'weapons.json': listsByType(WEAPON_TYPES),
  'targets.json': listsByType(TARGET_TYPES),
  'casualties.json': withComments({
    killed: sides,
    wounded: sides,
    kidnapped: sides,
    held: phrases,
    people: phrases,
  }),
  'attribution.json': withComments({
    ...Object.fromEntries(ATTRIBUTIONS.map((a) => [a, sides])),
    negation: phrases,
    group_relation: phrases,
  }),
  'context.json': withComments({
    determiner: phrases,
    modifier: phrases,
    hypothetical: phrases,
    modal: phrases,
    commemoration: phrases,
    update: phrases,
    motive: phrases,
    inquiry: phrases,
    sequence: phrases,
    separate: phrases,
    another: phrases,
    habitual: phrases,
    negation: phrases,
    locative: phrases,
    speech: phrases,
  }),
  'perpetrators.json': withComments({
    nouns: phrases,
    singular_articles: phrases,
    nationality_words: phrases,
    institution_words: phrases,
  }),
  'outcomes.json': withComments({ foiled: phrases, attempted: phrases }),
  'numbers.json': withComments({
    units: z.record(z.string(), z.number().int()),
    tens: z.record(z.string(), z.number().int()),
    scales: z.record(z.string(), z.number().int()),
    vague: z.record(z.string(), z.tuple([z.number().int(), z.number().int().nullable()])),
    qualifiers: z.record(z.string(), z.enum(['at_least', 'more_than', 'approximately', 'at_most'])),
  }),
  'abbreviations.json': z.array(z.string().regex(/^[a-z.]+$/)),
  'sentence-ends.json': withComments({
    abbreviations: z.array(z.string().regex(/^[a-z.]+$/)),
    continuations: z.array(z.string().regex(/^[a-z]+$/)),
  }),
  'places.json': withComments({
    fillers: phrases,
    regions: phrases,
    inside_names: phrases,
    place_nouns: phrases,
    facilities: phrases,
  }),
  'people.json': withComments({
    titles: phrases,
    name_stops: phrases,
    target_people: phrases,
    target_areas: phrases,
    perpetrator_modifiers: phrases,
    noun_followers: phrases,
    victim_cues: phrases,
    person_nouns: phrases,
  }),
  'organisations.json': withComments({
    heads: phrases,
    naming: phrases,
    generic: phrases,
    weak_cues: phrases,
    stops: phrases,
    complement_heads: phrases,
    firm_after_cues: phrases,
    connectors: phrases,
    calendar: phrases,
  }),
  'short-words.json': z.array(z.string().regex(/^[a-z]{1,3}$/)),
  'reactions.json': withComments({
    kinds: z.object(Object.fromEntries(REACTION_KINDS.map((k) => [k, phrases]))).strict(),
    intensifiers: phrases,
    officials: phrases,
    places: z.record(phrase, z.string().regex(/^[A-Z]{2}$/)),
    people: z.record(phrase, z.string().regex(/^[A-Z]{2}$/)),
    negations: phrases,
    passive: phrases,
  }),
};

describe('rule and word-list files in data/lexicon', () => {
  it('has a schema for every file', () => {
    // Folders hold other languages' lists (data/lexicon/ru: test/extract/russian-lexicon.test.ts).
    const files = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile());
    expect(files.map((e) => e.name).sort()).toEqual(Object.keys(schemas).sort());
  });

  it.each(Object.entries(schemas))('%s is valid', (name, schema) => {
    const result = schema.safeParse(read(name));
    expect(result.success, result.success ? '' : z.prettifyError(result.error)).toBe(true);
  });

  it('gives no target phrase two target types', () => {
    const seen = new Map<string, string>();
    for (const [type, list] of Object.entries(read('targets.json'))) {
      if (type.startsWith('$')) continue;
      for (const p of list as string[]) {
        expect(seen.get(phraseKey(p)), `${p} is under ${seen.get(phraseKey(p))} and ${type}`).toBeUndefined();
        seen.set(phraseKey(p), type);
      }
    }
  });
});
