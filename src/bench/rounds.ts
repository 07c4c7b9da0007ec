/** The middle value (mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value below which `p` percent of the values fall (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface PairedResult {
  /** Every measured round of the subject and of the baseline, in run order. */
  subject: number[];
  baseline: number[];
  /** Median of each. */
  subjectMedian: number;
  baselineMedian: number;
  /** Median of the per-round ratios subject/baseline, each pair measured back to back. */
  ratio: number;
}

/**
 * Runs a subject and its baseline in alternating order (ABBA…) after one unmeasured warm-up of each,
 * so drift on a shared, noisy machine hits both alike; each round returns one figure.
 */
export async function pairedRounds(rounds: number, subject: () => Promise<number>, baseline: () => Promise<number>, onRound?: (round: number, s: number, b: number) => void): Promise<PairedResult> {
  await subject();
  await baseline();
  const s: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      s.push(await subject());
      b.push(await baseline());
    } else {
      b.push(await baseline());
      s.push(await subject());
    }
    onRound?.(round + 1, s[round], b[round]);
  }
  return { subject: s, baseline: b, subjectMedian: median(s), baselineMedian: median(b), ratio: median(s.map((x, i) => x / b[i])) };
}
