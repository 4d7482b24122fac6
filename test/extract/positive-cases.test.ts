import { describe, expect, it } from 'vitest';
import { incidentsIn } from './cases.js';

const MARKET =
  'Gunmen killed 12 people at a crowded market in Kabul on Friday, police said. At least 20 others were wounded.';

describe('an attack reported in any case', () => {
  it.each([
    ['mixed case', MARKET],
    ['lower case', MARKET.toLowerCase()],
    ['upper case', MARKET.toUpperCase()],
  ])('%s', (_, text) => {
    const [incident, ...rest] = incidentsIn(text, '2024-05-15');
    expect(rest).toEqual([]);
    expect(incident?.date?.date).toBe('2024-05-10');
    expect(incident?.city).toBe('Kabul');
    expect(incident?.country).toBe('AF');
    expect(incident?.attackTypes).toEqual(['armed_assault']);
    expect(incident?.targetTypes).toContain('private_citizens_property');
    expect(incident?.killed).toEqual({ value: 12, min: 12, max: 12, qualifier: 'exact' });
    expect(incident?.wounded).toEqual({ value: 20, min: 20, max: null, qualifier: 'at_least' });
  });
});

describe('attribution follows the wording', () => {
  const bombing = 'A car bomb exploded outside a police station in Baghdad on Monday, killing 30 people.';

  it('a claim is claimed', () => {
    const [i] = incidentsIn(`${bombing} The Islamic State claimed responsibility for the attack.`);
    expect(i?.perpetratorGroups.map((g) => [g.group, g.attribution])).toEqual([['Islamic State', 'claimed']]);
  });

  it('a suspicion stays a suspicion', () => {
    const [i] = incidentsIn(`${bombing} Officials said the attack bore the hallmarks of al-Qaeda.`);
    expect(i?.perpetratorGroups.map((g) => g.attribution)).toEqual(['suspected']);
  });

  it('a denial is denied', () => {
    const [i] = incidentsIn(`${bombing} Hezbollah denied any involvement in the bombing.`);
    expect(i?.perpetratorGroups.map((g) => g.attribution)).toEqual(['denied']);
  });

  it('a negated claim attributes nothing', () => {
    const [i] = incidentsIn(`${bombing} No group has claimed responsibility so far.`);
    expect(i?.perpetratorGroups).toEqual([]);
  });

  it('a claim outranks a suspicion of the same group', () => {
    const [i] = incidentsIn(
      `${bombing} Police suspected the Islamic State. Later the Islamic State claimed the attack through its Amaq agency.`,
    );
    expect(i?.perpetratorGroups.map((g) => g.attribution)).toEqual(['claimed']);
  });
});

describe('several attacks in one article', () => {
  it('keeps attacks on different days in different towns apart (towns named as GeoNames spells them)', () => {
    const text =
      'A car bomb killed 12 people in Kandahar on Monday. On Wednesday, gunmen shot dead five police officers at a checkpoint in Herat.';
    const incidents = incidentsIn(text, '2024-05-16');
    expect(incidents.map((i) => [i.date?.date, i.city, i.attackTypes[0], i.killed?.value])).toEqual([
      ['2024-05-13', 'Kandahār', 'bombing_explosion', 12],
      ['2024-05-15', 'Herāt', 'armed_assault', 5],
    ]);
  });

  it('adds later sentences about the same attack to it', () => {
    const text =
      'Suicide bombers struck a mosque in Peshawar on Friday, killing 57 worshippers. The attack was the deadliest this year. The death toll rose to 63 on Saturday.';
    const incidents = incidentsIn(text, '2024-05-19');
    expect(incidents).toHaveLength(1);
    expect(incidents[0]?.killed?.value).toBe(63);
    expect(incidents[0]?.targetTypes).toContain('religious_figures_institutions');
  });
});

describe('figures', () => {
  it('counts attackers apart from victims and reads number words', () => {
    const [i] = incidentsIn(
      'Three gunmen stormed a hotel in Mogadishu on Sunday and killed twenty-one guests.',
      '2024-05-15',
    );
    expect(i?.perpetratorsMin).toBe(3);
    expect(i?.killed?.value).toBe(21);
  });

  it('keeps a vague toll as a range, not an invented number', () => {
    const [i] = incidentsIn(
      'A bomb exploded at a bus station in Lagos on Monday, killing dozens of people.',
      '2024-05-15',
    );
    expect(i?.killed).toEqual({ value: null, min: 24, max: 99, qualifier: 'range' });
  });

  it('takes "more than 100" as at least 101', () => {
    const [i] = incidentsIn(
      'Militants attacked a village in Borno on Tuesday, killing more than 100 people.',
      '2024-05-15',
    );
    expect(i?.killed?.min).toBe(101);
  });
});

describe('wire copy in capitals with a dateline', () => {
  const telex =
    'BOGOTA, 12 JAN 90 (EFE) -- URBAN GUERRILLAS OF THE NATIONAL LIBERATION ARMY (ELN) TODAY DYNAMITED AN OIL ' +
    'PIPELINE NEAR BARRANCABERMEJA, SANTANDER DEPARTMENT, AND KILLED TWO SOLDIERS WHO WERE GUARDING IT, MILITARY ' +
    'SOURCES REPORTED. THE ATTACK CAUSED A LARGE FIRE.';

  it('reads every field without relying on capitals', () => {
    const incidents = incidentsIn(telex, '1990-01-12');
    expect(incidents).toHaveLength(1);
    const [i] = incidents;
    expect(i?.date?.date).toBe('1990-01-12');
    expect([i?.city, i?.country]).toEqual(['Barrancabermeja', 'CO']);
    expect(i?.attackTypes).toEqual(['bombing_explosion']);
    expect(i?.targetTypes).toEqual(['utilities', 'military']);
    expect(i?.physicalTargetText).toEqual(['oil pipeline']);
    expect(i?.perpetratorGroups.map((g) => [g.groupId, g.attribution])).toEqual([['eln', 'identified']]);
    expect(i?.perpetratorText).toEqual(['URBAN GUERRILLAS']);
    expect(i?.killed?.value).toBe(2);
  });
});

describe('coordinated attacks at separate sites', () => {
  it('are separate incidents of one operation, claimed together', () => {
    const text =
      'Two suicide bombers blew themselves up in the departure hall of the airport in Istanbul on Tuesday, killing 30 people. ' +
      'Minutes later, a third attacker opened fire at a metro station nearby, killing 12. ' +
      'The Islamic State claimed both attacks.';
    const incidents = incidentsIn(text, '2024-05-15');
    expect(incidents.map((i) => [i.date?.date, i.city, i.targetTypes[0], i.killed?.value])).toEqual([
      ['2024-05-14', 'Istanbul', 'airports_aircraft', 30],
      ['2024-05-14', 'Istanbul', 'transportation', 12],
    ]);
    for (const i of incidents)
      expect(i.perpetratorGroups.map((g) => [g.group, g.attribution])).toEqual([
        ['Islamic State', 'claimed'],
      ]);
  });

  it('but a second bomb at the same site is the same incident', () => {
    const text =
      'A bomb exploded at a crowded market in Baghdad on Monday, killing 15 people. ' +
      'Minutes later, a second bomb exploded at the same market, killing 8 more.';
    expect(incidentsIn(text, '2024-05-15')).toHaveLength(1);
  });
});
