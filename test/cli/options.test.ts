import { describe, expect, it } from 'vitest';
import { CliError, describeFailure, EXIT } from '../../src/cli/errors.js';
import {
  DEFAULT_DB,
  dbLocation,
  parseBytes,
  parseCountry,
  parseDay,
  parsePositiveInt,
  parsePublished,
  resolveGroupId,
} from '../../src/cli/options.js';
import { loadGroups } from '../../src/knowledge/groups.js';
import { StoreError } from '../../src/store/index.js';

function problem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error.message;
    throw error;
  }
  throw new Error('did not throw');
}

describe('option values', () => {
  it('takes --db, else VIGIL_DB, else ./vigil.db', () => {
    expect(dbLocation('x.db', { VIGIL_DB: 'y.db' })).toBe('x.db');
    expect(dbLocation(undefined, { VIGIL_DB: 'y.db' })).toBe('y.db');
    expect(dbLocation(undefined, { VIGIL_DB: ' ' })).toBe(DEFAULT_DB);
    expect(dbLocation(undefined, {})).toBe('./vigil.db');
    expect(problem(() => dbLocation('', {}))).toBe('--db: must not be empty');
  });

  it('reads dates', () => {
    expect(parseDay('--since', '2024-03-22')).toBe('2024-03-22');
    expect(problem(() => parseDay('--since', '2024-02-30'))).toBe(
      "--since: '2024-02-30' is not a date (YYYY-MM-DD)",
    );
    expect(problem(() => parseDay('--since', '2024-03-22T10:00:00Z'))).toMatch(/not a date/);
    expect(parsePublished('--published', '2024-03-25')).toBe('2024-03-25');
    expect(parsePublished('--published', '2024-03-25T08:00:00Z')).toBe('2024-03-25T08:00:00Z');
    expect(problem(() => parsePublished('--published', '25 March 2024'))).toMatch(
      /^--published: '25 March 2024' is not a date/,
    );
  });

  it('reads whole numbers and sizes', () => {
    expect(parsePositiveInt('--limit', '20')).toBe(20);
    for (const bad of ['0', '-1', '1.5', '1e3', 'ten', '']) {
      expect(problem(() => parsePositiveInt('--limit', bad))).toMatch(/^--limit: '.*' is not a whole number/);
    }
    expect(parseBytes('--max-bytes', '500000')).toBe(500_000);
    expect(parseBytes('--max-bytes', '512KB')).toBe(512 * 1024);
    expect(parseBytes('--max-bytes', '10MB')).toBe(10 * 1024 * 1024);
    expect(parseBytes('--max-bytes', '1g')).toBe(1024 ** 3);
    for (const bad of ['0', '10 parsecs', '-5', 'MB']) {
      expect(problem(() => parseBytes('--max-bytes', bad))).toMatch(
        /^--max-bytes: '.*' is not a size in bytes/,
      );
    }
  });

  it('reads country codes and groups by id, name or alias', () => {
    expect(parseCountry('--country', 'ru')).toBe('RU');
    expect(problem(() => parseCountry('--country', 'RUS'))).toMatch(/not a two-letter country code/);
    const groups = loadGroups();
    expect(resolveGroupId('--group', 'iskp', groups)).toBe('iskp');
    expect(resolveGroupId('--group', 'ISKP', groups)).toBe('iskp');
    expect(resolveGroupId('--group', 'islamic state khorasan province', groups)).toBe('iskp');
    expect(problem(() => resolveGroupId('--group', 'nobody', groups))).toMatch(
      /^--group: unknown group 'nobody'/,
    );
  });
});

describe('describeFailure', () => {
  it('reports bad input with exit 1', () => {
    expect(describeFailure(new CliError('a.txt', 'empty file'))).toEqual({
      line: 'vigil: a.txt: empty file',
      exitCode: EXIT.badInput,
    });
    const ambiguous = new StoreError(
      'ambiguous_id',
      'incident id prefix "abcd" is ambiguous: it matches a, b',
      'x.db',
    );
    expect(describeFailure(ambiguous)).toEqual({
      line: 'vigil: incident id prefix "abcd" is ambiguous: it matches a, b',
      exitCode: EXIT.badInput,
    });
  });

  it('reports a database that cannot be opened, and anything unexpected, with exit 2', () => {
    const url = 'postgres://u:***@h/db';
    const open = new StoreError('open_failed', `cannot open database ${url}: connection refused`, url);
    expect(describeFailure(open)).toEqual({
      line: `vigil: ${url}: cannot open database: connection refused`,
      exitCode: 2,
    });
    expect(describeFailure(new TypeError('x is undefined'))).toEqual({
      line: 'vigil: internal error: x is undefined',
      exitCode: EXIT.internal,
    });
  });
});
