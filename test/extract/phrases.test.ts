import { describe, expect, it } from 'vitest';
import { incidentsIn } from './cases.js';

describe('attackers, victims, weapons and targets as the text words them', () => {
  const text =
    'Urban guerrillas shot dead mayor Armansio Quispe and two peasants in Ayacucho on Monday. ' +
    'The attackers also set off a car bomb and dynamite charges outside the town hall. ' +
    'Army spokesman colonel Luis Arturo Isaacs said the guerrillas fled.';
  const [incident] = incidentsIn(text, '1990-01-10');

  it('keeps the attackers with their modifiers', () => {
    expect(incident?.perpetratorText).toContain('Urban guerrillas');
  });

  it('names a victim introduced by a title, not the official who speaks', () => {
    expect(incident?.victimText).toEqual(['Armansio Quispe']);
  });

  it('keeps the weapons as written', () => {
    expect(incident?.weaponText).toEqual(expect.arrayContaining(['car bomb', 'dynamite charges']));
  });

  it('tells things attacked from people attacked', () => {
    expect(incident?.targetText).toEqual(expect.arrayContaining(['peasants', 'town hall']));
    expect(incident?.physicalTargetText).toEqual(['town hall']);
  });

  it('does not take a modifier for the attackers ("a guerrilla column")', () => {
    const [i] = incidentsIn('A guerrilla column attacked a police station in Lima on Monday.', '1990-01-10');
    expect(i?.perpetratorText).toEqual([]);
  });

  it('names a victim after what was done to them', () => {
    const [i] = incidentsIn(
      'Gunmen carried out the assassination of Hector Oqueli in Guatemala City on Friday, police said.',
      '1990-01-15',
    );
    expect(i?.victimText).toEqual(['Hector Oqueli']);
  });
});
