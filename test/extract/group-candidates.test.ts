import { describe, expect, it } from 'vitest';
import { annotate } from '../../src/extract/annotate.js';
import { describeCandidates, findPerpetratorGroups } from '../../src/extract/fields/perpetrators.js';
import { incidentsIn } from './cases.js';

/** Candidate names of a one-sentence text, as written, with their bracketed other names. */
function candidates(text: string): string[] {
  const [s] = annotate(text);
  if (!s) return [];
  return describeCandidates(text, s).map((d) => (d.acronym ? `${d.written} (${d.acronym})` : d.written));
}

function groups(text: string) {
  return annotate(text).flatMap((s) =>
    findPerpetratorGroups('t', text, s).map((g) => [
      g.value.groupId,
      g.value.attribution,
      g.value.aliasesSeen,
    ]),
  );
}

describe('candidate group names', () => {
  it('takes a capitalised name with its short form in brackets', () => {
    expect(
      candidates('Fighters of the Free Hill People’s Front (FHPF) burned a lorry near the pass.'),
    ).toContain('Free Hill People’s Front (FHPF)');
  });

  it('keeps small inner words and marks inside one name', () => {
    expect(candidates('Gunmen of the Sons of al-Qa`im Brigade opened fire on a checkpoint.')).toContain(
      'Sons of al-Qa`im Brigade',
    );
  });

  it('drops cue and count words that open the sentence', () => {
    const found = candidates('Suspected Red Orchard Commandos shot a shopkeeper in the old town.');
    expect(found).toContain('Red Orchard Commandos');
    expect(found.some((n) => n.startsWith('Suspected'))).toBe(false);
  });

  it('takes a translated name in brackets as another name of the group', () => {
    expect(candidates('Camino Rojo (Red Path) rebels blew up a power line outside the city.')).toContain(
      'Camino Rojo (Red Path)',
    );
  });

  it('does not run a name across a dash', () => {
    const found = candidates('LISBON, Portugal — The Iron Dawn Front said it planted the device.');
    expect(found).toContain('Iron Dawn Front');
    expect(found.some((n) => n.includes('Portugal'))).toBe(false);
  });

  it('proposes no places or weekdays', () => {
    expect(candidates('On Tuesday, in Kabul, a bomb exploded near the market.')).toEqual([]);
  });
});

describe('responsible groups', () => {
  it('names a group the text only suspects, as a suspicion', () => {
    expect(
      groups(
        'No group claimed responsibility, but the militant group Boko Haram was thought to be responsible.',
      ),
    ).toEqual([['boko-haram', 'suspected', ['Boko Haram']]]);
  });

  it('names a new group that claimed the attack, with its short form', () => {
    expect(
      groups('The Free Hill People’s Front (FHPF) claimed responsibility for the blast in a statement.'),
    ).toEqual([['discovered:free-hill-people-s-front', 'claimed', ['Free Hill People’s Front', 'FHPF']]]);
  });

  it('does not name the group of a victim killed by unknown gunmen', () => {
    const [i] = incidentsIn(
      'Unidentified gunmen shot dead a commander of the Tehrik-i-Taliban Pakistan in Peshawar on Monday. No group claimed responsibility.',
      '2011-06-14',
    );
    expect(i?.perpetratorGroups).toEqual([]);
  });

  it('does not name a group for an attack it made years before ("since X bombed")', () => {
    expect(groups('It was the deadliest attack in the city since al-Qaeda bombed the embassy.')).toEqual([]);
  });

  it('does not name a group that condemned the attack', () => {
    expect(groups('Hamas, which runs the territory, condemned the shooting on Friday.')).toEqual([]);
  });
});

describe('candidate names as the whole document reads them', () => {
  const read = (text: string) =>
    annotate(text).flatMap((s) =>
      describeCandidates(text, s).map((d) => [d.written, d.candidate.groupId, d.candidate.discovered]),
    );

  it('takes a piece of a known group’s longer name in the same text for that group', () => {
    const text =
      'Police blamed the Haqqani network for the raid on the fuel depot. Haqqani gunmen had stormed the depot before dawn.';
    expect(read(text)).toContainEqual(['Haqqani', 'haqqani-network', false]);
  });

  it('leaves a piece of a name alone when the text never writes the longer name', () => {
    const text = 'Haqqani gunmen stormed the fuel depot before dawn, killing two guards.';
    expect(read(text).filter(([, id]) => id === 'haqqani-network')).toEqual([]);
  });

  it('never takes a name the text also writes as a place for a new group', () => {
    const text =
      'A car bomb went off in the Veldrano district on Monday, killing four shoppers. The Veldrano bomb was the third this month.';
    expect(read(text).map(([name]) => name)).not.toContain('Veldrano');
    expect(candidates('The Veldrano bomb was the third this month, killing four shoppers.')).toContain(
      'Veldrano',
    );
  });
});

describe('groups in clauses about another time and in tallies', () => {
  it('keeps a claim told in an "after" clause', () => {
    const [i] = incidentsIn(
      "Officials closed the border crossing on Thursday after the Islamic State said it carried out Wednesday's bombing at a market that killed nine people.",
      '2024-03-08',
    );
    expect(i?.perpetratorGroups.map((g) => [g.groupId, g.attribution])).toEqual([
      ['islamic-state', 'claimed'],
    ]);
  });

  it('makes no incident of a tally that names the groups behind the violence', () => {
    expect(
      incidentsIn(
        'Militant violence in the region killed more civilians this year than in any year before, and groups linked to al-Qaeda are pushing south toward the coast.',
        '2024-03-08',
      ),
    ).toEqual([]);
  });
});
