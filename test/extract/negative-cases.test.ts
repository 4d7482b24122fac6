import { describe, expect, it } from 'vitest';
import { incidentsIn } from './cases.js';

/** Text about attacks that reports no new attack: history, threats, reactions, state action, trials. */
const NO_INCIDENT = [
  'The group has carried out dozens of attacks in Afghanistan in recent years.',
  'Officials warned that militants could attack the capital during the holidays.',
  "The United States expressed deep concern over the group's capacity to carry out attacks abroad.",
  'A US drone strike killed two militants in Nangarhar province on Friday, officials said.',
  'The trial of the men accused of the 2015 attacks in Paris opened on Monday.',
  'Security forces killed 12 insurgents in an operation near Mosul on Sunday.',
  'ISKP, an offshoot of the Islamic State, has primarily focused its terror activities within Afghanistan.',
  'Analysts fear that the group might attack a stadium during the World Cup.',
  'In 2015, gunmen killed 130 people in Paris.',
];

describe('text that reports no new incident', () => {
  it.each(NO_INCIDENT)('%s', (text) => {
    expect(incidentsIn(text)).toEqual([]);
  });

  it.each(NO_INCIDENT.map((t) => t.toLowerCase()))('in lower case: %s', (text) => {
    expect(incidentsIn(text)).toEqual([]);
  });
});

describe('a sentence about the past inside a report', () => {
  it('adds nothing to the incident ("since August 2011, when insurgents shot down ...")', () => {
    const [i, ...rest] = incidentsIn(
      'A suicide bomber killed 60 people outside Kabul airport on Thursday. ' +
        'It was the deadliest day for US troops since August 2011, when insurgents shot down a helicopter.',
      '2021-08-28',
    );
    expect(rest).toEqual([]);
    expect(i?.attackTypes).toEqual(['bombing_explosion']);
  });
});
