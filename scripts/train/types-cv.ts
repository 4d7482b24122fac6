/**
 * Five-fold cross-validation of the type models on the train part (development only): how often the
 * category scored highest is the coders', on rows the model was not trained on.
 *
 *   TYPES_ROWS=/tmp/types-rows.json npx tsx scripts/train/types-cv.ts
 */

import { preferred } from '../../src/extract/fields/types-model.js';
import { ATTACK_TYPES, TARGET_TYPES, WEAPON_TYPES } from '../../src/extract/index.js';
import type { LinearModel } from '../../src/learn/index.js';
import { allRows, type Row, trainField, weaponRows } from './types.js';

/** The rules' candidates, as the features name them (see typeCandidates and chooseTypes), the first
 * first. */
function proposed(field: string, features: readonly string[]): string[] {
  const of = (prefix: string) => {
    const firsts = features.filter((f) => f.startsWith(`${prefix}1:`)).map((f) => f.slice(prefix.length + 2));
    const all = features.filter((f) => f.startsWith(`${prefix}:`)).map((f) => f.slice(prefix.length + 1));
    return [...new Set([...firsts, ...all])].filter((v) => v !== 'none');
  };
  if (field === 'attack') {
    const a = of('ra');
    return a.length > 0 ? a : of('rb');
  }
  const list = of(field === 'target' ? 'rt' : 'rw');
  return field === 'target' && list.some((t) => t !== 'unknown') ? list.filter((t) => t !== 'unknown') : list;
}

function scores(model: LinearModel, labels: readonly string[], features: readonly string[]): number[] {
  return labels.map((label) => {
    let z = model.weights[`${label}|bias`] ?? 0;
    for (const f of features) z += model.weights[`${label}|${f}`] ?? 0;
    return z;
  });
}

const GRID = [0, 1, 2, 4, Number.POSITIVE_INFINITY];
const MARGINS = GRID.flatMap((other) => GRID.map((unproposed) => ({ other, unproposed })));

const FOLDS = Number(process.env.TYPES_FOLDS ?? 5);
const rows = allRows();
const fields: [string, readonly string[], (r: Row) => string | null, (t: Row[]) => Row[]][] = [
  ['attack', ATTACK_TYPES, (r) => r.attack, (t) => t],
  ['target', TARGET_TYPES, (r) => r.target, (t) => t],
  ['weapon', WEAPON_TYPES, (r) => r.weapon, weaponRows],
];
const only = process.argv.slice(2);
for (const [name, labels, pick, trainRows] of fields) {
  if (only.length > 0 && !only.includes(name)) continue;
  const right = MARGINS.map(() => ({ gtd: 0, rand: 0 }));
  let gtdAll = 0;
  let randAll = 0;
  for (let k = 0; k < FOLDS; k++) {
    const train = rows.filter((_, i) => i % FOLDS !== k);
    const test = rows.filter((r, i) => i % FOLDS === k && pick(r) !== null);
    const model = trainField(name, labels, pick, 'cv', trainRows(train));
    for (const r of test) {
      const z = scores(model, labels, r.features);
      const cands = proposed(name, r.features);
      if (r.gtd) gtdAll++;
      else randAll++;
      MARGINS.forEach((m, j) => {
        const ok = labels[preferred(labels, z, cands, m)] === pick(r) ? 1 : 0;
        const tally = right[j] as { gtd: number; rand: number };
        if (r.gtd) tally.gtd += ok;
        else tally.rand += ok;
      });
    }
  }
  const pct = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}% (${b})`);
  MARGINS.forEach((m, j) => {
    console.log(
      `${name} margins ${m.other}/${m.unproposed}: GTD ${pct(right[j]?.gtd ?? 0, gtdAll)}, RAND ${pct(right[j]?.rand ?? 0, randAll)}`,
    );
  });
}
