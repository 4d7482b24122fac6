/** Small numeric helpers for the analysis; deterministic, no randomness. */

/**
 * P(X ≥ n) for X ~ Poisson(λ): the chance of seeing n or more events when λ are expected. Summed
 * exactly up to n = 500 (and while e^−λ does not underflow), beyond that from the normal approximation with continuity
 * correction (the two agree to well under 1% there).
 */
export function poissonUpperTail(n: number, lambda: number): number {
  if (n <= 0) return 1;
  if (lambda <= 0) return 0;
  if (n > 500) {
    const z = (n - 0.5 - lambda) / Math.sqrt(lambda);
    return 0.5 * erfc(z / Math.SQRT2);
  }
  // P(X ≤ n−1) = Σ_{k<n} e^−λ λ^k / k!, each term from the one before.
  let term = Math.exp(-lambda);
  if (term === 0) {
    const z = (n - 0.5 - lambda) / Math.sqrt(lambda);
    return 0.5 * erfc(z / Math.SQRT2);
  }
  let cdf = 0;
  for (let k = 0; k < n; k++) {
    cdf += term;
    term = (term * lambda) / (k + 1);
  }
  return Math.max(0, Math.min(1, 1 - cdf));
}

/** Complementary error function (Numerical Recipes erfcc, |error| < 1.2e−7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Index of the first element of the ascending `values` that is > `x` (values[0..i) ≤ x). */
export function upperBound(values: readonly number[], x: number, from = 0, to = values.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** x / (x + half): 0 at 0, ½ at `half`, approaching 1. */
export function saturate(x: number, half: number): number {
  return x <= 0 ? 0 : x / (x + half);
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
