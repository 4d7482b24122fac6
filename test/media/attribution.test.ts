import { describe, expect, it } from 'vitest';
import {
  attributeMediaItem,
  mediaAudiences,
  SNIPPET_LIMIT,
  snippetAround,
} from '../../src/analyze/media-attribution.js';
import { loadGroups } from '../../src/knowledge/groups.js';

const groups = loadGroups();

describe('attribution of media items to a group’s media arm', () => {
  it('by channel name: al-Azaim → ISKP, with the matched span', () => {
    const a = attributeMediaItem({ channel: 'Al-Azaim Foundation', text: 'A new issue is out.' }, groups);
    expect(a).toMatchObject({
      groupId: 'iskp',
      groupName: 'Islamic State Khorasan Province',
      mediaArm: 'al-Azaim',
      method: 'channel',
      evidence: { where: 'channel', start: 0, end: 19, match: 'Al-Azaim Foundation' },
    });
  });

  it('by channel name in other spellings: Amaq → Islamic State, in Arabic and Russian too', () => {
    for (const channel of ['Amaq News Agency', 'وكالة أعماق', 'Амак ньюс']) {
      expect(attributeMediaItem({ channel, text: '…' }, groups)).toMatchObject({
        groupId: 'islamic-state',
        mediaArm: 'Amaq',
        method: 'channel',
      });
    }
  });

  it('by self-identification in the text when the channel says nothing', () => {
    const text = 'Al-Azaim Foundation presents a new statement for the brothers.';
    expect(attributeMediaItem({ channel: 'Relay 24', text }, groups)).toMatchObject({
      groupId: 'iskp',
      mediaArm: 'al-Azaim',
      method: 'text',
      evidence: { where: 'text', match: 'Al-Azaim Foundation', start: 0, end: 19 },
    });
    const arabic = 'أعلنت وكالة أعماق أن مقاتلي الدولة الإسلامية نفذوا هجوما.';
    expect(attributeMediaItem({ channel: 'Relay 24', text: arabic }, groups)).toMatchObject({
      groupId: 'islamic-state',
      mediaArm: 'Amaq',
      evidence: { match: 'وكالة أعماق' },
    });
  });

  it('by a group’s own name in its signature, the most specific group winning', () => {
    const text = 'Statement of the Islamic State, Wilayat Khorasan, on the events of the week.';
    expect(attributeMediaItem({ channel: 'Relay 24', text }, groups)).toMatchObject({
      groupId: 'iskp',
      mediaArm: null,
      method: 'text',
      evidence: { match: 'Wilayat Khorasan' },
    });
  });

  it('leaves an item no channel or text ties to a group unattributed', () => {
    expect(
      attributeMediaItem({ channel: 'Mountain news', text: 'Roads are closed this week.' }, groups),
    ).toBeNull();
  });

  it('keeps evidence short: at most 200 characters around the match', () => {
    const long = `${'word '.repeat(120)}Al-Azaim Foundation presents ${'more '.repeat(120)}`;
    const a = attributeMediaItem({ channel: 'Relay', text: long }, groups);
    expect(a?.evidence.match).toBe('Al-Azaim Foundation');
    expect([...(a?.evidence.snippet ?? '')].length).toBeLessThanOrEqual(SNIPPET_LIMIT);
    expect(a?.evidence.snippet).toContain('Al-Azaim Foundation');
    expect(snippetAround('short text', 0, 5)).toBe('short text');
  });
});

describe('audiences of media items', () => {
  it('finds countries and peoples named in the text, in several languages, with evidence', () => {
    expect(mediaAudiences('A message to our Tajik brothers and to the Muslims of Russia.', 'eng')).toEqual([
      expect.objectContaining({
        code: 'TJ',
        via: 'name',
        evidence: expect.objectContaining({ match: 'Tajik' }),
      }),
      expect.objectContaining({
        code: 'RU',
        via: 'name',
        evidence: expect.objectContaining({ match: 'Russia' }),
      }),
    ]);
    expect(
      mediaAudiences('Братья из Таджикистана и Киргизии, присоединяйтесь.', 'rus').map((a) => a.code),
    ).toEqual(['TJ', 'KG']);
    expect(mediaAudiences('Шумораи нави маҷалла барои бародарони тоҷик нашр шуд.', 'tgk')).toEqual([
      expect.objectContaining({
        code: 'TJ',
        via: 'name',
        evidence: expect.objectContaining({ match: 'тоҷик' }),
      }),
    ]);
  });

  it('takes the country of a language spoken mainly there when the text names none', () => {
    expect(mediaAudiences('Бир туугандар, биз силерди чакырабыз.', 'kir')).toEqual([
      { code: 'KG', via: 'language', evidence: null },
    ]);
    expect(mediaAudiences('A new issue is out.', 'eng')).toEqual([]);
  });
});
