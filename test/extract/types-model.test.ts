import { describe, expect, it } from 'vitest';
import { lemma, preferred } from '../../src/extract/fields/types-model.js';
import { extractIncidents } from '../../src/extract/index.js';

/** The one draft of a short text written for this test. */
function draftOf(text: string) {
  const drafts = extractIncidents({ id: 'test:types', text, published: '2024-05-15' });
  expect(drafts.length).toBeGreaterThan(0);
  return drafts[0];
}

/** Every value's evidence is a span of the text. */
function spansHold(
  text: string,
  fields: readonly { evidence: readonly { start: number; end: number; text: string }[] }[],
) {
  for (const f of fields) {
    expect(f.evidence.length).toBeGreaterThan(0);
    for (const e of f.evidence) expect(text.slice(e.start, e.end)).toBe(e.text);
  }
}

describe('attack, target and weapon type by GTD categories', () => {
  it('a police officer shot dead: armed assault on police, firearms', () => {
    const text = 'Gunmen shot dead a police officer at a checkpoint in Peshawar on Monday.';
    const d = draftOf(text);
    expect(d?.attackTypes[0]?.value).toBe('armed_assault');
    expect(d?.targetTypes[0]?.value).toBe('police');
    expect(d?.weaponTypes[0]?.value).toBe('firearms');
    spansHold(text, [...(d?.attackTypes ?? []), ...(d?.targetTypes ?? []), ...(d?.weaponTypes ?? [])]);
  });

  it('a bomb at a mosque: bombing of a religious institution, explosives', () => {
    const text = 'A bomb exploded inside a mosque in Quetta during Friday prayers, killing six worshippers.';
    const d = draftOf(text);
    expect(d?.attackTypes[0]?.value).toBe('bombing_explosion');
    expect(d?.targetTypes[0]?.value).toBe('religious_figures_institutions');
    expect(d?.weaponTypes[0]?.value).toBe('explosives');
    spansHold(text, [...(d?.attackTypes ?? []), ...(d?.targetTypes ?? []), ...(d?.weaponTypes ?? [])]);
  });

  it('a school set on fire: facility attack on an educational institution, incendiary', () => {
    const text =
      'Assailants set fire to a girls school in the village on Tuesday night. No casualties were reported.';
    const d = draftOf(text);
    expect(d?.attackTypes[0]?.value).toBe('facility_infrastructure');
    expect(d?.targetTypes[0]?.value).toBe('educational_institution');
    expect(d?.weaponTypes[0]?.value).toBe('incendiary');
  });

  it('a kidnapping: hostage taking', () => {
    const text =
      'Armed men abducted two engineers working for a construction company near the border on Sunday.';
    const d = draftOf(text);
    expect(d?.attackTypes[0]?.value).toBe('hostage_kidnapping');
    spansHold(text, d?.attackTypes ?? []);
  });
});

describe('lemma', () => {
  it('takes plural and past endings off', () => {
    expect(lemma('bombs')).toBe('bomb');
    expect(lemma('militias')).toBe('militia');
    expect(lemma('casualties')).toBe('casualty');
    expect(lemma('attacked')).toBe('attack');
    expect(lemma('business')).toBe('business');
    expect(lemma('bus')).toBe('bus');
  });
});

describe('preferred', () => {
  const labels = ['police', 'military', 'business'];
  const margins = { other: 1, unproposed: 2 };

  it("keeps the rules' first candidate unless another scores clearly higher", () => {
    expect(preferred(labels, [0, 0.5, -3], ['police', 'military'], margins)).toBe(0);
    expect(preferred(labels, [0, 1.5, -3], ['police', 'military'], margins)).toBe(1);
  });

  it('takes a category the rules did not propose only by a wider margin', () => {
    expect(preferred(labels, [0, -3, 1.5], ['police'], margins)).toBe(0);
    expect(preferred(labels, [0, -3, 2.5], ['police'], margins)).toBe(2);
  });

  it("takes the model's best when the rules propose nothing", () => {
    expect(preferred(labels, [0, 0.2, -1], [], margins)).toBe(1);
  });
});
