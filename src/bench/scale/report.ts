import { percentile } from '../rounds';
import { FIGURE_NAMES, type FigureName, type SizeSamples } from './measure';

/** The issue's growth targets: p50 at the largest size ÷ p50 at the smallest (the store ping has none: it is the reference). */
export const GROWTH_MAX: Partial<Record<FigureName, number>> = {
  create: 1.5, event: 1.5, statusLookup: 1.5, getApplication: 1.5, certificateVerify: 1.5,
  timerTickIdle: 1.5, timerTick100: 1.5, reminderRun: 1.5,
  worklistCounty: 2, worklistProvince: 2, searchByUscc: 2,
  // Reads the day documents of its range (30 days × the jurisdictions), whatever is stored.
  statistics: 1.5,
};

/** The issue's absolute p50 targets, which hold at 250,000 applications. */
export const ABSOLUTE_P50_MAX: Partial<Record<FigureName, number>> = { event: 50, statusLookup: 10, worklistCounty: 150, worklistProvince: 150 };
export const ABSOLUTE_AT_SIZE = 250_000;

const r2 = (n: number) => Math.round(n * 100) / 100;
const r3 = (n: number) => Math.round(n * 1000) / 1000;

export interface FigureSummary {
  p50: Record<string, number>;
  p99: Record<string, number>;
  growth: number;
}

const RESOLUTION_MS = 0.01;
// Below the printed resolution (0.01 ms, an idle tick) a figure counts as 0.01: 0 → 0.01 is no growth, not infinite.
const p50AtResolution = (xs: number[]) => Math.max(RESOLUTION_MS, percentile(xs, 50));

/**
 * Each figure against the control (the store held at the smallest size, measured just before and after at each size):
 * the control's p50 at each size, p50 ÷ the control's p50, and how that ratio grew from the smallest size to the largest.
 * The machine's drift during the run (a shared machine) moves both alike, so it drops out of this growth.
 */
export interface PairedSummary {
  control: Record<string, number>;
  ratio: Record<string, number>;
  growth: number;
}

/** p50 and p99 of each figure at each size, and its growth from the smallest size to the largest (and against the control, where measured). */
export function summarize(sizes: number[], bySize: Map<number, SizeSamples>, controlBySize: Map<number, Partial<SizeSamples>> = new Map()) {
  const figures = {} as Record<FigureName, FigureSummary>;
  for (const name of FIGURE_NAMES) {
    const p50: Record<string, number> = {};
    const p99: Record<string, number> = {};
    for (const size of sizes) {
      const xs = bySize.get(size)![name];
      // Reminder runs are per certificate, fractions of a millisecond: they keep more digits.
      const round = name === 'reminderRun' ? r3 : r2;
      p50[size] = round(percentile(xs, 50));
      p99[size] = round(percentile(xs, 99));
    }
    const atResolution = (size: number) => p50AtResolution(bySize.get(size)![name]);
    figures[name] = { p50, p99, growth: r3(atResolution(sizes.at(-1)!) / atResolution(sizes[0])) };
  }
  const paired: Partial<Record<FigureName, PairedSummary>> = {};
  for (const name of FIGURE_NAMES) {
    if (!sizes.every((size) => controlBySize.get(size)?.[name]?.length)) continue;
    const control = (size: number) => p50AtResolution(controlBySize.get(size)![name]!);
    const ratio = (size: number) => p50AtResolution(bySize.get(size)![name]) / control(size);
    paired[name] = {
      control: Object.fromEntries(sizes.map((size) => [size, r2(control(size))])),
      ratio: Object.fromEntries(sizes.map((size) => [size, r3(ratio(size))])),
      growth: r3(ratio(sizes.at(-1)!) / ratio(sizes[0])),
    };
  }
  const targets = Object.fromEntries(Object.entries(GROWTH_MAX).map(([name, max]) => [name, { growthMax: max, met: figures[name as FigureName].growth <= max }]));
  const largest = sizes.at(-1)!;
  const absolute = {
    atSize: largest,
    // The absolute targets are set for 250,000 applications; at a smaller largest size they are only indicative.
    applies: largest >= ABSOLUTE_AT_SIZE,
    p50Max: Object.fromEntries(Object.entries(ABSOLUTE_P50_MAX).map(([name, max]) => {
      const p50 = figures[name as FigureName].p50[largest];
      return [name, { max, p50, met: p50 <= max! }];
    })),
  };
  return { figures, targets, absolute, paired };
}

export type Summary = ReturnType<typeof summarize>;

/** One table: a row per figure, a column per size with p50 / p99 in ms, then growth and its target. */
export function printTable(sizes: number[], summary: Summary, print: (line: string) => void = console.log): void {
  const rows: string[][] = [['figure (ms, p50 / p99)', ...sizes.map((s) => `${s.toLocaleString('en-US')} apps`), 'growth', 'target', 'met', 'vs control']];
  for (const name of FIGURE_NAMES) {
    const f = summary.figures[name];
    const label = name === 'reminderRun' ? 'reminderRun (per cert in windows)' : name === 'storePing' ? 'storePing (reference: the machine)' : name;
    const target = summary.targets[name];
    const paired = summary.paired[name];
    rows.push([label, ...sizes.map((s) => `${f.p50[s]} / ${f.p99[s]}`), `${f.growth}`, target ? `≤ ${target.growthMax}` : '—', target ? (target.met ? 'yes' : 'NO') : '—', paired ? `${paired.growth}` : '—']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) print(r.map((c, i) => c.padEnd(widths[i])).join('  '));
  if (Object.keys(summary.paired).length) {
    print(`vs control: growth of p50 ÷ the control's p50 (the store held at ${sizes[0].toLocaleString('en-US')}, measured just before and after each size), which the machine's drift does not move`);
  }
  const a = summary.absolute;
  print(`absolute p50 targets at ${a.atSize.toLocaleString('en-US')} applications${a.applies ? '' : ` (set for ${ABSOLUTE_AT_SIZE.toLocaleString('en-US')}; indicative here)`}: ` +
    Object.entries(a.p50Max).map(([name, t]) => `${name} ${t.p50} ≤ ${t.max} ${t.met ? 'yes' : 'NO'}`).join(', '));
}
