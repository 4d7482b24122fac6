import { describe, expect, it } from 'vitest';
import { incidentsIn } from './cases.js';

describe('how the attack went', () => {
  it('marks a suicide attack, with the words that say so', () => {
    const [i] = incidentsIn(
      'A suicide bomber struck a crowded market in Mogadishu on Sunday, killing 12 people.',
    );
    expect(i?.suicide).toBe(true);
    expect(i?.evidence.find((e) => e.field === 'suicide')?.text).toBe('suicide bomber');
  });

  it('does not call a gun attack a suicide attack', () => {
    const [i] = incidentsIn('Gunmen attacked a hotel in Mogadishu on Sunday, killing 12 people.');
    expect(i?.suicide).toBe(false);
  });

  it('tells a foiled attack from one carried out', () => {
    const [i] = incidentsIn('Police defused a bomb left at a bus station in Lagos on Monday.');
    expect(i?.outcome).toBe('foiled');
  });

  it('tells a failed attempt', () => {
    const [i] = incidentsIn('A car bomb failed to explode outside a hotel in Mogadishu on Sunday.');
    expect(i?.outcome).toBe('attempted');
  });

  it('takes an attack with a toll as carried out', () => {
    const [i] = incidentsIn('Gunmen attacked a hotel in Mogadishu on Sunday, killing 12 people.');
    expect(i?.outcome).toBe('carried_out');
  });
});

describe('people taken and attackers killed, counted apart', () => {
  it('counts the kidnapped', () => {
    const [i] = incidentsIn('Gunmen abducted 276 students from a school in Chibok on Monday night.');
    expect(i?.kidnapped?.value).toBe(276);
    expect(i?.killed).toBeNull();
  });

  it('counts hostages killed as killed, hostages held as kidnapped', () => {
    const [killed] = incidentsIn(
      'Gunmen seized a school in Beslan, Russia on Wednesday. More than 330 hostages were killed when the siege ended.',
    );
    expect(killed?.killed).toMatchObject({ min: 331, qualifier: 'more_than' });
    expect(killed?.kidnapped).toBeNull();
    const [wounded] = incidentsIn(
      'Gunmen stormed a theatre in Moscow on Wednesday and took 850 hostages. Twelve hostages were wounded.',
    );
    expect(wounded?.wounded).toMatchObject({ min: 12 });
    expect(wounded?.kidnapped).toMatchObject({ min: 850 });
    const [held] = incidentsIn(
      'Gunmen stormed a hotel in Bamako on Friday, holding 170 hostages, killing 20 people.',
    );
    expect(held?.kidnapped).toMatchObject({ min: 170 });
    expect(held?.killed).toMatchObject({ min: 20 });
  });

  it('counts attackers killed apart from victims', () => {
    const [i] = incidentsIn(
      'Gunmen stormed a hotel in Mogadishu on Sunday, killing 12 guests. Three attackers were killed by guards.',
    );
    expect(i?.killed?.value).toBe(12);
    expect(i?.perpetratorsKilled?.value).toBe(3);
  });
});
