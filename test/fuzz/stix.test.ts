import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { bundleText, checkBundle, exportBundle, planImport } from '../../src/stix/index.js';
import { foundingIncidents, OPENCTI_BUNDLE } from '../stix/helpers.js';
import { HOSTILE, mutated, runs, timed } from './mutate.js';

/* STIX bundles from partners are outside input: `vigil import stix` parses the JSON, checks the
 * bundle against the OASIS schemas (checkBundle) and maps it to incidents (planImport). Random,
 * mutated and structurally damaged bundles give a usable plan or a list of problems, never a throw. */

const groups = loadGroups();
const { document, incidents } = foundingIncidents();
const VIGIL_BUNDLE = bundleText(
  exportBundle({ incidents, documents: [{ ...document }], groups, tlp: 'amber' }),
);
const OPENCTI = readFileSync(OPENCTI_BUNDLE, 'utf8');
const BUNDLES = [VIGIL_BUNDLE, OPENCTI];

/** What `vigil import stix` does with a bundle's text, up to storing: a plan or problems. */
function importText(text: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return; // the CLI reports "not JSON: …"
  }
  importValue(value);
}

function importValue(value: unknown): void {
  const check = timed('checkBundle', () => checkBundle(value, { lenient: true }));
  if (check.bundle === null) {
    expect(check.errors.length).toBeGreaterThan(0);
    for (const e of check.errors) {
      expect(typeof e.objectId).toBe('string');
      expect(e.message.length).toBeGreaterThan(0);
    }
    return;
  }
  const plan = timed('planImport', () =>
    planImport(check.bundle as NonNullable<typeof check.bundle>, groups),
  );
  for (const p of plan.incidents) {
    expect(p.incident.id).toMatch(/\S/);
    expect(Array.isArray(p.incident.sources)).toBe(true);
  }
  for (const d of plan.documents) expect(d.id).toMatch(/\S/);
}

/** A bundle with one value somewhere inside replaced: the shapes a careless exporter produces. */
const damaged = fc
  .tuple(
    fc.constantFrom(...BUNDLES.map((b) => JSON.parse(b) as { objects: Record<string, unknown>[] })),
    fc.nat(),
    fc.constantFrom(
      'type',
      'id',
      'spec_version',
      'created',
      'modified',
      'name',
      'description',
      'object_refs',
      'source_ref',
      'target_ref',
      'relationship_type',
      'extensions',
      'object_marking_refs',
      'first_seen',
      'external_references',
      'x_extra',
    ),
    fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.constantFrom(...HOSTILE),
      fc.constant(null),
      fc.constant({ __proto__: { polluted: true } }),
    ),
  )
  .map(([bundle, n, key, value]) => {
    const copy = structuredClone(bundle);
    const target = copy.objects[n % copy.objects.length];
    if (target) target[key] = value;
    return copy;
  });

describe('STIX 2.1 bundles (src/stix: checkBundle, planImport)', () => {
  it('import the bundles they were made from', () => {
    for (const text of BUNDLES) {
      const check = checkBundle(JSON.parse(text), { lenient: true });
      expect(check.errors).toEqual([]);
    }
  });

  it('mutated bundle text: a plan or a list of problems, within the bound', () => {
    fc.assert(fc.property(mutated(BUNDLES), importText), { numRuns: runs(150) });
  });

  it('bundles with a value replaced anywhere: a plan or a list of problems, within the bound', () => {
    fc.assert(fc.property(damaged, importValue), { numRuns: runs(200) });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('any JSON value at all: a list of problems, within the bound', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.json({ maxDepth: 4 }).map((j) => JSON.parse(j) as unknown),
          fc.record({ type: fc.constant('bundle'), id: fc.string(), objects: fc.array(fc.anything()) }),
        ),
        importValue,
      ),
      { numRuns: runs(300) },
    );
  });

  it('a huge bundle of objects is checked in bounded time per object', () => {
    const base = JSON.parse(OPENCTI) as { objects: unknown[] };
    const many = {
      ...base,
      objects: Array.from({ length: 2000 }, (_, i) => base.objects[i % base.objects.length]),
    };
    const start = performance.now();
    checkBundle(many, { lenient: true });
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});
