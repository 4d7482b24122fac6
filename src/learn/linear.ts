/**
 * A logistic-regression scorer over sparse binary features (strings), trained deterministically:
 * the examples in the order given, a fixed number of passes, a learning rate that decays, L2
 * shrinkage. Small enough to commit as JSON and to score thousands of candidates per millisecond.
 * Extraction uses it to choose among the candidates its rules generate (or to choose none).
 */

export interface LinearModel {
  /** What the model decides, e.g. "casualties". */
  readonly name: string;
  /** Where the examples came from (for the README and anyone auditing a decision). */
  readonly trainedOn: string;
  readonly examples: number;
  readonly bias: number;
  readonly weights: Readonly<Record<string, number>>;
}

export interface Example {
  readonly features: readonly string[];
  readonly label: 0 | 1;
}

export interface TrainOptions {
  readonly name: string;
  readonly trainedOn: string;
  /** Passes over the examples. */
  readonly epochs?: number;
  readonly rate?: number;
  readonly l2?: number;
  /** Features seen in fewer examples are left out (they would only fit noise). */
  readonly minCount?: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The model's probability that the features describe a positive example. */
export function probability(model: LinearModel, features: readonly string[]): number {
  let z = model.bias;
  for (const f of features) z += model.weights[f] ?? 0;
  return sigmoid(z);
}

export function trainLogistic(examples: readonly Example[], options: TrainOptions): LinearModel {
  const epochs = options.epochs ?? 12;
  const rate0 = options.rate ?? 0.2;
  const l2 = options.l2 ?? 1e-4;
  const minCount = options.minCount ?? 2;
  const seen = new Map<string, number>();
  for (const e of examples) for (const f of new Set(e.features)) seen.set(f, (seen.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  for (const [f, n] of [...seen].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    if (n >= minCount) index.set(f, index.size);
  const w = new Float64Array(index.size);
  let bias = 0;
  const encoded = examples.map((e) => ({
    ids: [...new Set(e.features)].flatMap((f) => {
      const i = index.get(f);
      return i === undefined ? [] : [i];
    }),
    label: e.label,
  }));
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const e of encoded) {
      const rate = rate0 / (1 + step++ / Math.max(1, encoded.length));
      let z = bias;
      for (const i of e.ids) z += w[i] as number;
      const g = e.label - sigmoid(z);
      bias += rate * g;
      for (const i of e.ids) w[i] = (w[i] as number) * (1 - rate * l2) + rate * g;
    }
  }
  const weights: Record<string, number> = {};
  for (const [f, i] of index) {
    const v = Math.round((w[i] as number) * 1e4) / 1e4;
    if (v !== 0) weights[f] = v;
  }
  return {
    name: options.name,
    trainedOn: options.trainedOn,
    examples: examples.length,
    bias: Math.round(bias * 1e4) / 1e4,
    weights,
  };
}
