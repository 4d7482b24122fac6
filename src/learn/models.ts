import { readFileSync } from 'node:fs';
import { dataPath } from '../knowledge/data-path.js';
import type { LinearModel } from './linear.js';

const loaded = new Map<string, LinearModel>();

/** A model committed in `data/models/<name>.json` (built by `npm run train`), read once. */
export function loadModel(name: string): LinearModel {
  let model = loaded.get(name);
  if (!model) {
    model = JSON.parse(readFileSync(dataPath(`models/${name}.json`), 'utf8')) as LinearModel;
    if (typeof model.bias !== 'number' || typeof model.weights !== 'object')
      throw new Error(`data/models/${name}.json is not a linear model: run npm run train`);
    loaded.set(name, model);
  }
  return model;
}
