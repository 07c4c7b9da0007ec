// lunar-javascript ships no types; only the calls the statutory calendar makes are declared.
declare module 'lunar-javascript' {
  interface Solar {
    toYmd(): string;
  }
  interface Lunar {
    getSolar(): Solar;
    getJieQiTable(): Record<string, Solar>;
  }
  export const Lunar: { fromYmd(year: number, month: number, day: number): Lunar };
}
