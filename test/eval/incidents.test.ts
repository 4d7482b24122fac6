import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CodedIncident,
  countryCode,
  evaluateIncidents,
  isoDay,
  parseCodedLine,
  prepared,
  sameCity,
  splitPart,
  weaponCode,
} from '../../src/eval/incidents/index.js';
import { vigil } from '../cli/helpers.js';

/* Records written here in the shared schema (never copied from the shared sets). */
const LINES = [
  {
    id: 'v-1',
    text: '03/14/2016: On Monday, in Kandahar, Afghanistan, gunmen opened fire on a police checkpoint, killing four police officers and wounding two others. The Taliban claimed responsibility for the attack.',
    date: '2016-03-14',
    country: 'Afghanistan',
    city: 'Kandahar',
    perpetrator: 'Taliban',
    event_type: 'Armed Assault',
    target: 'Police',
    weapon: 'Firearms',
    killed: 4,
    wounded: 2,
  },
  {
    id: 'v-2',
    text: '05/02/2016: Unknown assailants detonated an explosive device near a market in Kirkuk, Iraq. No casualties were reported. No group claimed responsibility.',
    date: '2016-05-02',
    country: 'Iraq',
    city: 'Kirkuk',
    perpetrator: 'Unknown',
    event_type: 'Bombing/Explosion',
    target: 'Business',
    weapon: 'Explosives/Bombs/Dynamite',
    killed: 0,
    wounded: 0,
  },
];
const records: CodedIncident[] = LINES.map((l, i) => parseCodedLine(JSON.stringify(l), `t:${i + 1}`));

describe('coder-gold records', () => {
  it('are read with their fields, and a bad line names its problem', () => {
    expect(records[0]).toMatchObject({
      id: 'v-1',
      country: 'Afghanistan',
      killed: 4,
      eventType: 'Armed Assault',
    });
    expect(() => parseCodedLine('{"id": "x"}', 'f:1')).toThrow(/text/);
    expect(() => parseCodedLine('{"id": "x", "text": "t", "killed": -1}', 'f:1')).toThrow(/killed/);
    expect(() => parseCodedLine('not json', 'f:1')).toThrow(/not JSON/);
  });

  it('lose the GTD date stamp and are published the day after', () => {
    expect(prepared(records[0] as CodedIncident)).toEqual({
      text: expect.stringMatching(/^On Monday, in Kandahar/),
      published: '2016-03-15',
    });
    expect(isoDay('01-January-2015')).toBe('2015-01-01');
    expect(isoDay('9-May-20')).toBe('2020-05-09');
    expect(isoDay('1993')).toBeNull();
  });
});

describe('the split', () => {
  it('puts each id in one fixed part, about 30 % blind', () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `id-${i}`);
    const blind = ids.filter((id) => splitPart(id) === 'blind').length;
    expect(blind / ids.length).toBeGreaterThan(0.27);
    expect(blind / ids.length).toBeLessThan(0.33);
    // Fixed forever: a change of salt or share would move records between the parts.
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(splitPart)).toEqual([
      'train',
      'train',
      'train',
      'blind',
      'train',
      'train',
      'blind',
      'train',
    ]);
  });
});

describe('the coders’ labels', () => {
  it('map to Vigil codes, historical countries included', () => {
    expect(countryCode('Northern Ireland')).toBe('GB');
    expect(countryCode('West Bank and Gaza Strip')).toBe('PS');
    expect(countryCode('Korea, South')).toBe('KR');
    expect(countryCode('Yugoslavia')).toBeNull();
    expect(countryCode('Iraq')).toBe('IQ');
    expect(weaponCode('Explosives/Bombs/Dynamite')).toBe('explosives');
    expect(weaponCode('Fire or Firebomb')).toBe('incendiary');
  });

  it('spell a city several ways', () => {
    expect(sameCity("Ba'quba", 'Baqubah')).toBe(true);
    expect(sameCity('Peshawar', 'Peshawar (district)')).toBe(true);
    expect(sameCity('Kabul', 'Kandahar')).toBe(false);
    expect(sameCity('Gao', 'Goa')).toBe(false);
  });
});

describe('scoring', () => {
  it('scores the fields the coders filled, and lists the misses', () => {
    const e = evaluateIncidents(records);
    expect(e.records).toBe(2);
    expect(e.fields.country).toEqual({ scored: 2, correct: 2, accuracy: 100 });
    expect(e.fields.killed.scored).toBe(2);
    expect(e.fields.group_named.scored).toBe(1);
    expect(e.fields.group_unknown).toEqual({ scored: 1, correct: 1, accuracy: 100 });
    expect(e.fields.date.scored).toBe(1);
    for (const m of e.misses) expect(LINES.map((l) => l.id)).toContain(m.id);
    expect(
      Object.values(e.confusion.weapon)
        .flatMap((row) => Object.values(row))
        .reduce((a, b) => a + b),
    ).toBe(2);
  });
});

describe('vigil eval incidents', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-eval-incidents-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the per-field table, writes the misses, and exits 1 on a bad line', async () => {
    const file = join(dir, 'records.jsonl');
    await writeFile(file, `${LINES.map((l) => JSON.stringify(l)).join('\n')}\n{"id": 3}\n`);
    const misses = join(dir, 'misses.jsonl');
    const run = await vigil(['eval', 'incidents', file, '--misses', misses, '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:3: text`);
    const out = JSON.parse(run.stdout);
    expect(out.records).toBe(2);
    expect(out.fields.country.correct).toBe(2);
    const written = (await readFile(misses, 'utf8')).split('\n').filter(Boolean);
    expect(written).toHaveLength(out.missed);
    const refused = await vigil(['eval', 'incidents', file, '--part', 'half']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--part');
  });
});
