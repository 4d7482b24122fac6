import { describe, expect, it } from 'vitest';
import { extractIncidents } from '../../src/extract/index.js';

/** Sentences written for these tests: where and when the attack happened, not where the story was
 * filed, where someone came from, when a statement was made or when a toll was updated; and past
 * attacks recalled by anniversaries and trials yield no incident. */
const extract = (text: string, published = '2023-05-10') => extractIncidents({ id: 'doc', text, published });

describe('the place of the attack', () => {
  it('takes the town of the dateline when the story names no town', () => {
    const [d] = extract(
      'QUETTA, Pakistan — A bomb hidden in a motorcycle exploded near a bus stop on Tuesday, killing nine people.',
    );
    expect(d?.place?.value).toMatchObject({ country: 'PK', city: 'Quetta' });
    // Where a story was filed is inferred, not stated, for the attack.
    expect(d?.place?.inferred).toBe(true);
  });

  it('prefers the town named for the attack over the dateline', () => {
    const [d] = extract(
      'KABUL — Gunmen stormed a police post in the northern city of Kunduz on Tuesday, killing five officers.',
    );
    expect(d?.place?.value.city).toBe('Kunduz');
  });

  it('reads a nationality before a place word as the country ("the Afghan city of")', () => {
    const [d] = extract(
      'Gunmen opened fire on a minibus in the central Afghan city of Qarabagh Tsoi on Tuesday, killing four people.',
    );
    expect(d?.place?.value.country).toBe('AF');
  });

  it('does not take a place given as a motive or an origin', () => {
    const drafts = extract(
      'Militants attacked an army camp in Mombasa on Tuesday, killing six soldiers. The group said it attacked the camp because Kenyan troops were fighting in Somalia.',
    );
    expect(drafts.map((d) => d.place?.value.country)).toEqual(['KE']);
  });

  it('ignores a town name written in lower case in ordinary text', () => {
    const [d] = extract(
      'A gunman fired on worshippers at the entrance of a shrine in Shiraz on Tuesday, killing three people.',
    );
    expect(d?.place?.value.city).toBe('Shiraz');
  });
});

describe('the date of the attack', () => {
  it('counts back from the date of a claim ("on Tuesday ... a day earlier")', () => {
    const [d] = extract(
      'A militant group claimed responsibility on Tuesday for the bombing of a market in Kunduz a day earlier, which killed 14 people.',
    );
    expect(d?.date?.value).toEqual({ date: '2023-05-08', precision: 'day' });
  });

  it('does not date the attack by the day a toll was updated', () => {
    const [d] = extract(
      'The number of people killed in the bombing of a bus in Quetta rose to 19 on Wednesday.',
    );
    // Undated in the text: only the publication day stands in, marked approximate.
    expect(d?.date?.value.approximate).toBe(true);
  });

  it('reads a month without a year as the last one before publication', () => {
    const [d] = extract(
      'The January bombing of a mosque in Peshawar killed 84 people, police said.',
      '2023-01-30',
    );
    expect(d?.date?.value).toEqual({ date: '2023-01-01', precision: 'month' });
  });

  it('keeps an attack word whose sentence ends with a police shooting', () => {
    const [d] = extract(
      'A gunman opened fire on tourists at a beach hotel in Sousse on Tuesday, killing 12 people before being shot dead by police.',
    );
    expect(d?.date?.value.date).toBe('2023-05-09');
    expect(d?.killed?.value.value).toBe(12);
  });
});

describe('background pieces', () => {
  it('opens no incident for an anniversary of a past attack', () => {
    expect(
      extract(
        'Survivors gathered in Madrid on Wednesday to mark the tenth anniversary of the train bombings that killed 191 people.',
      ),
    ).toEqual([]);
  });

  it('opens no incident for an attack tied to a past year, nor for what the article then says of it', () => {
    expect(
      extract(
        'Relatives of the 166 people killed in the 2008 siege of hotels in Mumbai met the new minister on Tuesday. The attack lasted four days. The gunmen killed guests and staff.',
      ),
    ).toEqual([]);
  });

  it('opens no incident for a trial over a past attack', () => {
    expect(
      extract(
        'A court in Paris sentenced a man on Tuesday over the 2016 truck attack in Nice that killed 86 people.',
      ),
    ).toEqual([]);
  });

  it('still reports news that follows a recalled attack', () => {
    const drafts = extract(
      'Ten years after the 2013 mall siege, gunmen attacked a bus in Lamu on Tuesday, killing four passengers.',
    );
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.date?.value.date).toBe('2023-05-09');
  });

  it('reads "this year" as a period for tallies, not as the date of an attack', () => {
    const drafts = extract(
      'Militant attacks killed more than 900 people in Pakistan this year, a think tank said.',
    );
    expect(drafts.every((d) => d.date === null || d.date.value.approximate)).toBe(true);
  });
});

describe('regions, weekdays and long toll phrases', () => {
  it("places an attack named only by its region in the region's country", () => {
    const [bali] = extract(
      'Two bombs exploded outside a nightclub in Bali on Saturday, killing dozens of tourists.',
    );
    expect(bali?.place?.value).toMatchObject({ country: 'ID', city: null, precision: 'country' });
    expect(bali?.place?.evidence[0]?.text).toBe('Bali');
    const [borno] = extract('Insurgents killed 12 farmers in Borno state on Sunday, a local official said.');
    expect(borno?.place?.value.country).toBe('NG');
    const [sinai] = extract('A roadside bomb killed four soldiers in northern Sinai on Monday.');
    expect(sinai?.place?.value.country).toBe('EG');
  });

  it('keeps the town when a region has a town of its name in the same country', () => {
    const [d] = extract('A car bomb exploded in Kandahar on Monday, killing three policemen.');
    expect(d?.place?.value).toMatchObject({ country: 'AF', precision: 'city' });
  });

  it('reads a region across borders only when the article names one of its countries', () => {
    const [one] = extract(
      'Militants attacked a police post in Kashmir on Monday, killing three, Indian police said. India put its troops on alert.',
    );
    expect(one?.place?.value.country).toBe('IN');
    const [none] = extract('Militants attacked a police post in Kashmir on Monday, killing three.');
    expect(none?.place ?? null).toBeNull();
  });

  it('dates a bare weekday to the last such day on or before publication, never after', () => {
    // 2024-05-13 is a Monday: "on Tuesday" is 7 May, "on Monday" the day of publication.
    const [tuesday] = extract(
      'Gunmen attacked a checkpoint near Gao on Tuesday, killing six soldiers.',
      '2024-05-13',
    );
    expect(tuesday?.date?.value).toEqual({ date: '2024-05-07', precision: 'day' });
    const [monday] = extract(
      'Gunmen attacked a checkpoint near Gao on Monday, killing six soldiers.',
      '2024-05-13',
    );
    expect(monday?.date?.value.date).toBe('2024-05-13');
  });

  it('reads "the death toll ... rose to N" across a long phrase naming the attack', () => {
    const [d] = extract(
      'The death toll from the suicide bombing that tore through a busy bus station in the north of Kabul, Afghanistan on Thursday rose to 31 people, officials said on Friday.',
      '2024-05-10',
    );
    expect(d?.killed?.value.value).toBe(31);
    expect(d?.date?.value.date).toBe('2024-05-09');
  });

  it('does not take a toll across another figure', () => {
    const [d] = extract(
      'The death toll from the attack in which 5 gunmen stormed a hotel in Mogadishu on Friday rose to 12, police said.',
      '2024-05-11',
    );
    expect(d?.killed?.value.value).not.toBe(5);
  });

  it('dates an attack the text does not date by its publication, marked approximate', () => {
    const [d] = extract(
      'A bomb exploded at a crowded market in Peshawar, killing seven people.',
      '2024-05-11',
    );
    expect(d?.date?.value).toEqual({ date: '2024-05-11', precision: 'day', approximate: true });
    expect(d?.date?.inferred).toBe(true);
    const [none] = extractIncidents({
      id: 'doc',
      text: 'A bomb exploded at a crowded market in Peshawar, killing seven people.',
      published: null,
    });
    expect(none?.date ?? null).toBeNull();
  });
});

describe('one attack told from its end back to its start', () => {
  it('takes a pluperfect report a day or two earlier as the start of the same attack', () => {
    const drafts = extract(
      'Special forces freed the guests of a hotel in Bamako on Sunday morning, ending a siege by gunmen who killed nine people. The gunmen had stormed the hotel on Saturday evening, shooting two guards.',
      '2024-05-12',
    );
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.date?.value.date).toBe('2024-05-11');
  });

  it('keeps an earlier attack told without the pluperfect apart', () => {
    const drafts = extract(
      'A bomb exploded at a market in Kano on Sunday, killing six people. On Friday, gunmen attacked a church in Zaria, killing four worshippers.',
      '2024-05-12',
    );
    expect(drafts).toHaveLength(2);
  });
});

describe('who did it, and whom it hit', () => {
  it('does not read a habit of the group as the attribution of this attack', () => {
    const [d] = extract(
      'A car bomb exploded outside a police station in Turbat on Sunday, killing 11 people. The Baloch Liberation Army, who have carried out several attacks in the province, distanced themselves from the blast.',
      '2023-07-30',
    );
    expect(d?.perpetrators.map((p) => p.value.attribution)).not.toContain('identified');
  });

  it('does not take the police investigating an attack for its target', () => {
    const [d] = extract(
      "Police investigating Monday's bombing of a bus in Quetta said they had arrested two men.",
    );
    expect(d?.targetTypes.map((t) => t.value)).not.toContain('police');
  });

  it('takes the town a building is named after for the place of an attack on it', () => {
    const [d] = extract(
      "Students who survived Monday's attack at Mardan University arrived in Peshawar on Tuesday, officials said.",
    );
    expect(d?.place?.value.city).toBe('Mardan');
  });

  it('dates the attack by "killed on Saturday", a cue of who did it, not a statement', () => {
    const [d] = extract(
      'Rebels said today that two soldiers were killed on Saturday during a clash near the border.',
      '2024-05-13',
    );
    expect(d?.date?.value.date).toBe('2024-05-11');
  });
});

describe('tallies and anniversaries', () => {
  it('opens no incident for a tally of the year', () => {
    const drafts = extract(
      'Insurgent violence in Mali and Niger killed more soldiers this year than in any year before, a research group said.',
      '2023-11-20',
    );
    expect(drafts).toEqual([]);
  });

  it('still reads a dated attack after a tally', () => {
    const drafts = extract(
      'Political violence killed more than 300 people in the region this year, a monitor said. On Monday gunmen killed 12 villagers in Borno state.',
      '2023-11-21',
    );
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.place?.value.country).toBe('NG');
  });

  it('takes an undated attack named by "the attack" in an anniversary piece as known, not news', () => {
    const drafts = extract(
      'Relatives of the 30 people killed in the March 11, 2011 bombing of a train in Lahore gathered on Sunday to mark the tenth anniversary. The ceremony came days after nine people were killed in the attack on a bus in Quetta.',
      '2021-03-14',
    );
    expect(drafts).toEqual([]);
  });
});

describe('aircraft and vehicles', () => {
  it('places a plane brought down "over" a region', () => {
    const [d] = extract(
      'A bomb exploded on a passenger plane over Sinai on Saturday, killing all 150 people on board.',
      '2023-05-14',
    );
    expect(d?.place?.value.country).toBe('EG');
  });

  it('reads a pickup truck driven into a crowd as a vehicle attack', () => {
    const [d] = extract(
      'A man drove a pickup truck into a crowd at a market in Lyon on Sunday, killing five people.',
      '2023-05-14',
    );
    expect(d?.attackTypes.map((a) => a.value)).toContain('unarmed_assault');
  });
});
