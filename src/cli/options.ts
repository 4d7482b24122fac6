import type { ArmedGroup } from '../knowledge/groups.js';
// The date check alone: the sources index would load the HTML parser into every command.
import { isIsoDate } from '../sources/dates.js';
import { CliError } from './errors.js';

/** Where the database is when neither `--db` nor `VIGIL_DB` says. */
export const DEFAULT_DB = './vigil.db';

/** `--db`, else `VIGIL_DB`, else `./vigil.db`. */
export function dbLocation(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (option !== undefined) {
    if (option.trim() === '') throw new CliError('--db', 'must not be empty');
    return option;
  }
  const fromEnv = env.VIGIL_DB;
  return fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : DEFAULT_DB;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date written `YYYY-MM-DD` (`--since`, `--until`). */
export function parseDay(option: string, value: string): string {
  const day = value.trim();
  if (!DAY.test(day) || !isIsoDate(day)) throw new CliError(option, `'${value}' is not a date (YYYY-MM-DD)`);
  return day;
}

/** A publication date: `YYYY-MM-DD` or an ISO 8601 date-time. */
export function parsePublished(option: string, value: string): string {
  const date = value.trim();
  if (!isIsoDate(date)) throw new CliError(option, `'${value}' is not a date (YYYY-MM-DD)`);
  return date;
}

/** A whole number of at least 1 (`--limit`). */
export function parsePositiveInt(option: string, value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new CliError(option, `'${value}' is not a whole number of 1 or more`);
  return n;
}

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** A size in bytes, plain or with a unit (`500000`, `512KB`, `10MB`; KB = 1024 bytes). */
export function parseBytes(option: string, value: string): number {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  const n = match && unit !== undefined ? Number(match[1]) * unit : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new CliError(option, `'${value}' is not a size in bytes (such as 500000, 512KB or 10MB)`);
  }
  return n;
}

/** An ISO 3166-1 alpha-2 country code, upper-cased. */
export function parseCountry(option: string, value: string): string {
  const code = value.trim();
  if (!/^[a-z]{2}$/i.test(code))
    throw new CliError(option, `'${value}' is not a two-letter country code (such as RU)`);
  return code.toUpperCase();
}

/** The knowledge-base id of a group given by id, name or alias, in any case ("iskp", "ISIS-K"). */
export function resolveGroupId(option: string, value: string, groups: readonly ArmedGroup[]): string {
  const wanted = value.trim().toLowerCase();
  const byId = groups.find((g) => g.id === wanted);
  if (byId) return byId.id;
  const byName = groups.find((g) => [g.name, ...g.aliases].some((name) => name.toLowerCase() === wanted));
  if (byName) return byName.id;
  throw new CliError(option, `unknown group '${value}' (give its id, such as iskp, its name or an alias)`);
}
