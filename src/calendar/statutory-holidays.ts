import { Lunar } from 'lunar-javascript';
import { addCalendarDays } from './shanghai-time';
import type { Holiday } from './types';

/** First year of 《全国年节及纪念日放假办法》 as revised in 2024 (in force since 2025-01-01); earlier years had other rules. */
export const STATUTORY_RULES_SINCE = 2025;

const lunarDate = (year: number, month: number, day: number) => Lunar.fromYmd(year, month, day).getSolar().toYmd();

/**
 * The holidays the law itself fixes for `year` (《全国年节及纪念日放假办法》, revised 2024): 元旦 Jan 1; 春节
 * 农历除夕 to 正月初三; 清明 (the solar term's day); 劳动节 May 1–2; 端午 (农历五月初五); 中秋 (农历八月十五);
 * 国庆 Oct 1–3. Without the bridging days and make-up working days that only the annual State Council notice sets.
 */
export function statutoryHolidays(year: number): Holiday[] {
  if (!Number.isInteger(year) || year < STATUTORY_RULES_SINCE || year > 9999) throw new RangeError(`the statutory holiday rules apply from ${STATUTORY_RULES_SINCE} on, not to ${year}`);
  const y = String(year).padStart(4, '0');
  const springFestival = lunarDate(year, 1, 1);
  // The lunar year's last day (除夕) is the day before 正月初一, whether 腊月 has 29 or 30 days.
  const newYearsEve = addCalendarDays(springFestival, -1);
  const qingming = Lunar.fromYmd(year, 1, 1).getJieQiTable()['清明'].toYmd();
  const dragonBoat = lunarDate(year, 5, 5);
  const midAutumn = lunarDate(year, 8, 15);
  return [
    { name: '元旦', nameEn: "New Year's Day", from: `${y}-01-01`, to: `${y}-01-01` },
    { name: '春节', nameEn: 'Spring Festival', from: newYearsEve, to: addCalendarDays(springFestival, 2) },
    { name: '清明节', nameEn: 'Qingming Festival', from: qingming, to: qingming },
    { name: '劳动节', nameEn: 'Labour Day', from: `${y}-05-01`, to: `${y}-05-02` },
    { name: '端午节', nameEn: 'Dragon Boat Festival', from: dragonBoat, to: dragonBoat },
    { name: '中秋节', nameEn: 'Mid-Autumn Festival', from: midAutumn, to: midAutumn },
    { name: '国庆节', nameEn: 'National Day', from: `${y}-10-01`, to: `${y}-10-03` },
  ];
}
