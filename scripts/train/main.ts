/**
 * `npm run train`: rebuilds every model in data/models/ from the train parts of the shared data.
 * Deterministic: the same data gives byte-identical files.
 *
 *   npm run train [-- <model> ...]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LinearModel } from '../../src/learn/index.js';
import { trainAttackReport } from './attack-report.js';
import { trainCasualties } from './casualties.js';
import { trainPerpetrators } from './perpetrators.js';
import { trainPlaces } from './places.js';
import { attackTypeModel, targetTypeModel, weaponTypeModel } from './types.js';

/** Each trainer builds one model; add new ones here. In order: a model is trained after those that
 * shape what it learns from (the type models read the incident all the others draft). */
const TRAINERS: Readonly<Record<string, () => LinearModel | Promise<LinearModel>>> = {
  'attack-report': trainAttackReport,
  perpetrators: trainPerpetrators,
  places: trainPlaces,
  casualties: trainCasualties,
  'attack-type': attackTypeModel,
  'target-type': targetTypeModel,
  'weapon-type': weaponTypeModel,
};

const modelsDir = join(dirname(fileURLToPath(import.meta.url)), '../../data/models');

/** JSON with keys in a fixed order, so that a retrained model diffs only where it changed. */
function stable(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    1,
  );
}

const asked = process.argv.slice(2);
for (const name of asked)
  if (!(name in TRAINERS)) throw new Error(`no model "${name}" (have: ${Object.keys(TRAINERS).join(', ')})`);
for (const [name, train] of Object.entries(TRAINERS)) {
  if (asked.length > 0 && !asked.includes(name)) continue;
  const started = Date.now();
  const model = await train();
  writeFileSync(join(modelsDir, `${name}.json`), `${stable(model)}\n`);
  console.log(
    `${name}: ${model.examples} examples, ${Object.keys(model.weights).length} weights, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
