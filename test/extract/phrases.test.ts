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
  it('takes an "of" complement into the target ("the headquarters of the ...")', () => {
    const [i] = incidentsIn(
      'A bomb exploded at the headquarters of the national workers federation in San Salvador on Tuesday, killing ten union leaders.',
      '1989-11-01',
    );
    expect(i?.physicalTargetText).toEqual(['headquarters of the national workers federation']);
  });

  it('does not take a weapon\'s or a people noun\'s modifier for a target ("car bomb", "university students")', () => {
    const [i] = incidentsIn(
      'A car bomb killed four university students near a bus stop in Bogota on Friday.',
      '1989-12-01',
    );
    expect(i?.physicalTargetText).not.toContain('car');
    expect(i?.physicalTargetText).not.toContain('university');
    expect(i?.targetText).toContain('students');
  });

  it('counts people and places named with a modifier as not physical ("Jesuit priests", "the Miraflores neighborhood")', () => {
    const [i] = incidentsIn(
      'Soldiers murdered six Jesuit priests in the Miraflores neighborhood of Lima on Thursday.',
      '1989-11-16',
    );
    expect(i?.physicalTargetText).toEqual([]);
  });

  it('links a group named just before its fighters ("FMLN urban commandos blew up ...")', () => {
    const [i] = incidentsIn(
      'FMLN urban commandos blew up three electricity towers in San Salvador on Monday.',
      '1989-11-01',
    );
    expect(i?.perpetratorGroups.map((g) => [g.groupId, g.attribution])).toEqual([['fmln', 'identified']]);
  });

  it('does not make a group the perpetrator for what it did long before ("the Taliban, who seized Kabul")', () => {
    const [i] = incidentsIn(
      'A suicide bomber killed 13 people at the airport gate in Kabul on Thursday, days after the Taliban, who seized the city, took power.',
      '2021-08-27',
    );
    expect(i?.perpetratorGroups.map((g) => g.groupId)).not.toContain('taliban');
  });
});

describe('groups the knowledge base does not know', () => {
  const groupsIn = (text: string, published = '1990-01-10') =>
    incidentsIn(text, published).flatMap((i) =>
      i.perpetratorGroups.map((g) => ({ id: g.groupId, name: g.group, attribution: g.attribution })),
    );

  it('finds a group that names itself and claims the attack', () => {
    expect(
      groupsIn(
        'A bomb exploded at a bank in Lima on Monday, wounding two guards. A previously unknown group calling itself the Dignity Brigade claimed responsibility for the bombing.',
      ),
    ).toEqual([{ id: 'discovered:dignity-brigade', name: 'Dignity Brigade', attribution: 'claimed' }]);
  });

  it('finds one in lower-case wire copy by its organisation word', () => {
    expect(
      groupsIn(
        'the bombing of the bank was carried out by the ricardo palma urban commando, police said on monday.',
      ),
    ).toEqual([
      {
        id: 'discovered:ricardo-palma-urban-commando',
        name: 'ricardo palma urban commando',
        attribution: 'identified',
      },
    ]);
  });

  it('keeps a name with an "of" phrase whole ("the ... armed forces of liberation")', () => {
    expect(
      groupsIn(
        'The Tupac Yupanqui armed forces of liberation claimed the bombing of a bridge near Oruro on Friday.',
      ),
    ).toEqual([
      {
        id: 'discovered:tupac-yupanqui-armed-forces-of-liberation',
        name: 'Tupac Yupanqui armed forces of liberation',
        attribution: 'claimed',
      },
    ]);
  });

  it('never makes a state force or a generic phrase a new group', () => {
    expect(
      groupsIn(
        'The army said the 3d infantry brigade killed five guerrillas. A group of heavily armed men attacked the Salvadoran army post and the national police claimed they fled.',
      ).filter((g) => g.id.startsWith('discovered:')),
    ).toEqual([]);
  });

  it('does not take the victims\' organisation for the attackers ("members of the ... commission were killed")', () => {
    expect(
      groupsIn('Gunmen killed three members of the Santa Rosa human rights commission in Cali on Sunday.'),
    ).toEqual([]);
  });

  it('reads a short mixed-case alias only as written ("LeT", not "let")', () => {
    expect(
      groupsIn(
        'Gunmen attacked a bus in Jammu on Monday and police said they would let the LeT know.',
        '2024-05-01',
      ).map((g) => g.id),
    ).not.toContain('discovered:let');
    expect(
      groupsIn('the gunmen, who let the bus go, attacked a market in jammu on monday.', '2024-05-01'),
    ).toEqual([]);
  });
});

describe('linking a name two groups share', () => {
  const idsIn = (text: string) =>
    incidentsIn(text, '1990-03-05').flatMap((i) => i.perpetratorGroups.map((g) => g.groupId));

  it('links "ELN" to Colombia\'s group in a Colombian story and to Bolivia\'s in a Bolivian one', () => {
    expect(
      idsIn('ELN guerrillas blew up the Cano Limon pipeline near Saravena, Colombia, on Sunday.'),
    ).toEqual(['eln']);
    expect(idsIn('ELN guerrillas blew up a power pylon near La Paz, Bolivia, on Sunday.')).toEqual([
      'eln-bolivia',
    ]);
  });

  it('leaves it unlinked when nothing in the article says which', () => {
    expect(idsIn('ELN guerrillas blew up a bridge on Sunday, the group said.')).toEqual([]);
  });

  it('keeps the alias the text used as evidence', () => {
    const [incident] = incidentsIn(
      'Guerrillas of the ELN blew up the Cano Limon pipeline near Saravena, Colombia, on Sunday.',
      '1990-03-05',
    );
    expect(incident?.perpetratorGroups[0]?.aliasesSeen).toEqual(['ELN']);
    expect(incident?.evidence.find((e) => e.field === 'perpetrator_groups')?.text).toBe(
      'Guerrillas of the ELN',
    );
  });

  it('does not take a leader\'s group for the killers ("second in command of the contras")', () => {
    expect(
      idsIn(
        'Aureliano, second in command of the Nicaraguan contras, was gunned down by an unidentified group in Tegucigalpa on Monday.',
      ),
    ).toEqual([]);
  });
});

describe('a toll reported as it rises', () => {
  it('reads "the death toll from ... rose to 90" with words between the toll and its verb', () => {
    const [i] = incidentsIn(
      'The death toll from a truck bombing in Kabul on Wednesday rose to 90 on Thursday, officials said.',
      '2017-06-01',
    );
    expect(i?.killed).toMatchObject({ value: 90 });
    expect(i?.evidence.find((e) => e.field === 'killed')?.text).toBe(
      'death toll from a truck bombing in Kabul on Wednesday rose to 90',
    );
  });

  it('does not count another figure in a later clause as the toll', () => {
    const [i] = incidentsIn(
      'The death toll from the bombing in Kabul on Wednesday rose to 12. Police said 40 people had been wounded.',
      '2017-06-01',
    );
    expect(i?.killed?.value).toBe(12);
    expect(i?.wounded?.value).toBe(40);
  });
});
