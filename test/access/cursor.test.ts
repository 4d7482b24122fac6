import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CursorSeal, cursorBinding } from '../../src/access/cursor.js';

describe('sealed cursors', () => {
  const seal = new CursorSeal(randomBytes(32));
  const binding = cursorBinding('key1', 'incidents', {
    country: 'AF',
    sort: 'killed',
    cursor: 'x',
    limit: 5,
  });
  const position = { date: null, id: 'abc', key: 54 };

  it('open to what was sealed, for the same key and list only', () => {
    const cursor = seal.seal(position, binding);
    expect(seal.open(cursor, binding)).toEqual(position);
    expect(
      seal.open(cursor, cursorBinding('key2', 'incidents', { country: 'AF', sort: 'killed' })),
    ).toBeUndefined();
    expect(
      seal.open(cursor, cursorBinding('key1', 'incidents', { country: 'IQ', sort: 'killed' })),
    ).toBeUndefined();
    expect(
      seal.open(cursor, cursorBinding('key1', 'stix', { country: 'AF', sort: 'killed' })),
    ).toBeUndefined();
    // The page size and the cursor itself are not part of the list.
    expect(
      seal.open(cursor, cursorBinding('key1', 'incidents', { country: 'AF', sort: 'killed', limit: 9 })),
    ).toEqual(position);
  });

  it('say nothing of what they hold, and the same position gives the same cursor', () => {
    const cursor = seal.seal(position, binding);
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('54');
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain('abc');
    expect(seal.seal(position, binding)).toBe(cursor);
    expect(seal.seal({ ...position, key: 55 }, binding)).not.toBe(cursor);
  });

  it('refuse every altered, truncated or forged cursor', () => {
    const cursor = seal.seal(position, binding);
    for (let i = 0; i < cursor.length; i++) {
      const other = cursor[i] === 'A' ? 'B' : 'A';
      expect(seal.open(cursor.slice(0, i) + other + cursor.slice(i + 1), binding)).toBeUndefined();
    }
    expect(seal.open(cursor.slice(0, -2), binding)).toBeUndefined();
    expect(
      seal.open(Buffer.from(JSON.stringify(['killed', 'desc', 54, 'abc'])).toString('base64url'), binding),
    ).toBeUndefined();
    expect(seal.open('', binding)).toBeUndefined();
    expect(seal.open('not base64!', binding)).toBeUndefined();
    expect(new CursorSeal(randomBytes(32)).open(cursor, binding)).toBeUndefined();
  });
});
