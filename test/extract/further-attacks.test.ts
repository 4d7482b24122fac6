import { describe, expect, it } from 'vitest';
import { extractIncidents } from '../../src/extract/index.js';
import { splitSentences } from '../../src/extract/text/sentences.js';

/** Sentences written for these tests: an article that tells of a further attack, on another site or
 * altogether separate, gives it an incident of its own (GTD counts each site); a second blast at the
 * same site, or one only reported, stays with the first. */
const extract = (text: string, published = '2023-09-18') => extractIncidents({ id: 'doc', text, published });

describe('a further attack in the same article', () => {
  it('is its own incident when a sentence says it is separate, whatever its targets', () => {
    const drafts = extract(
      'Gunmen attacked a police checkpoint in Kano on Sunday, killing three officers. ' +
        'In a separate attack on Sunday, gunmen stormed another police checkpoint on the edge of the city, killing two officers.',
    );
    expect(drafts).toHaveLength(2);
    expect(drafts.map((d) => d.place?.value.city)).toEqual(['Kano', 'Kano']);
    expect(drafts.map((d) => d.killed?.value.value)).toEqual([3, 2]);
  });

  it('is its own incident when it opens as "a second bomb" with its own toll at another target', () => {
    const drafts = extract(
      'A car bomb exploded outside a hotel in Kirkuk on Sunday evening, killing 14 people, police said. ' +
        'A second bomb, at a bus station across town, killed four people soon afterwards.',
    );
    expect(drafts).toHaveLength(2);
    expect(drafts.map((d) => d.killed?.value.value)).toEqual([14, 4]);
  });

  it('is its own incident after "later" even when no target tells the two apart', () => {
    const drafts = extract(
      'A truck bomb blew up at a crossroads in Baidoa on Sunday, killing 22 people. ' +
        'Hours later a second car bomb went off near the livestock yard road, killing two people.',
    );
    expect(drafts).toHaveLength(2);
  });

  it('is its own incident when a second bomb hits a target of the same kind named otherwise', () => {
    const drafts = extract(
      'A bomb exploded on a train at Harlow Street station in Lagos on Sunday, killing 11 people. ' +
        'Minutes later a second bomb exploded at Keswick Road station, killing nine people.',
    );
    expect(drafts).toHaveLength(2);
    expect(drafts.map((d) => d.killed?.value.value)).toEqual([11, 9]);
  });

  it('stays with the first when a second bomb hits the same site', () => {
    const drafts = extract(
      'A bomb exploded at a crowded bus terminal in Lagos on Sunday, killing 11 people. ' +
        'Minutes later a second bomb exploded at the same bus terminal, killing four more.',
    );
    expect(drafts).toHaveLength(1);
  });

  it('stays with the first when a second blast is only reported, without a toll of its own', () => {
    const drafts = extract(
      'A suicide bomber struck a wedding hall in Herat on Sunday, killing 31 guests, officials said. ' +
        'A second explosion was reported near the wedding hall minutes later.',
    );
    expect(drafts).toHaveLength(1);
  });
});

describe('sentences and dates that tell the attacks apart', () => {
  it('ends a sentence after "a.m." before a new sentence, not before a weekday or a time zone', () => {
    const sentences = splitSentences(
      'The first bomb went off at 7 a.m. Twenty minutes later a second one exploded. Talks began at 9 a.m. Monday and ended at 4 p.m. GMT.',
    );
    expect(sentences.map((s) => s.text)).toEqual([
      'The first bomb went off at 7 a.m.',
      'Twenty minutes later a second one exploded.',
      'Talks began at 9 a.m. Monday and ended at 4 p.m. GMT.',
    ]);
  });

  it('dates an attack by the day in the possessive before it, not by the day of a later update', () => {
    const [d] = extract(
      'Health officials raised the toll of Saturday’s bombing of a cattle market in Gombe to 26 on Tuesday.',
      '2023-09-20',
    );
    expect(d?.date?.value).toEqual({ date: '2023-09-16', precision: 'day' });
  });
});
