/** Training data for `npm run train`: the train part (never the blind part) of the shared sets. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CodedIncident, readCodedFile, splitPart } from '../../src/eval/incidents/index.js';

/** `../shared` beside the repository, or $VIGIL_SHARED. */
export function sharedDir(): string {
  const dir = process.env.VIGIL_SHARED ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
  if (!existsSync(join(dir, 'eval')))
    throw new Error(`${dir}: no eval/ folder (set VIGIL_SHARED to the shared data)`);
  return dir;
}

/** The records of one shared incident set (e.g. `gtd-2011`) in its train part, in file order. */
export function trainRecords(set: string): CodedIncident[] {
  const path = join(sharedDir(), 'eval', 'incidents', `${set}.dev.jsonl`);
  return readCodedFile(path).filter((r) => splitPart(r.id) === 'train');
}
