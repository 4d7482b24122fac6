import { describe, expect, it } from 'vitest';
import { documentId, normaliseText } from '../../src/sources/index.js';

describe('normaliseText', () => {
  it('turns CRLF into LF and drops trailing spaces on each line', () => {
    expect(normaliseText('one  \r\ntwo\t\r\nthree')).toBe('one\ntwo\nthree');
  });

  it('collapses runs of blank lines to one blank line and trims the ends', () => {
    expect(normaliseText('\n\n  first\n\n\n\n\nsecond\n \n \n\nthird\n\n')).toBe('first\n\nsecond\n\nthird');
  });

  it('composes Unicode to NFC', () => {
    expect(normaliseText('Mosul cafe\u0301')).toBe('Mosul caf\u00e9');
  });
});

describe('documentId', () => {
  it('gives the same id to the same text re-wrapped, re-spaced and re-cased', () => {
    const original = 'Five people were killed.\n\nPolice said the attack began at noon.';
    const rewrapped = '  FIVE people were\r\nkilled.   Police said\tthe attack began\n\n\n\nat NOON.  ';
    expect(documentId(rewrapped)).toBe(documentId(original));
  });

  it('gives different ids to different texts', () => {
    expect(documentId('Five people were killed.')).not.toBe(documentId('Six people were killed.'));
  });

  it('is a sha256 hex digest', () => {
    expect(documentId('text')).toMatch(/^[0-9a-f]{64}$/);
  });
});
