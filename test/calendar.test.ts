import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  addCalendarDays,
  addMonths,
  CalendarYearMissingError,
  endOfShanghaiDay,
  isValidDate,
  loadCalendars,
  shanghaiDate,
  startOfShanghaiDay,
  statutoryHolidays,
  WorkingCalendar,
  type CalendarYear,
} from '../src/calendar';

const CONFIG_DIR = fileURLToPath(new URL('../config/calendars', import.meta.url));
const years = loadCalendars(CONFIG_DIR);

function strictCalendar(): WorkingCalendar {
  return new WorkingCalendar(years, { warn: () => { throw new Error('unexpected warning'); } });
}

// Deterministic PRNG (mulberry32) so the property test always checks the same dates.
function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('working-day calendar (Art. 82)', () => {
  describe('shipped schedules', () => {
    it('when config/calendars is loaded, then 2025 and 2026 are available', () => {
      expect(strictCalendar().loadedYears()).to.deep.equal([2025, 2026]);
    });

    it('when counting a whole year, then 2025 and 2026 each have 248 working days', () => {
      // 2025 starts on a Wednesday: 261 weekdays; holidays on weekdays: Jan 1 (1), Jan 28–31 + Feb 3–4 (6),
      // Apr 4 (1), May 1–2 + May 5 (3), Jun 2 (1), Oct 1–3 + Oct 6–8 (6) = 18; plus 5 make-up days → 261 − 18 + 5 = 248.
      // 2026 starts on a Thursday: 261 weekdays; Jan 1–2 (2), Feb 16–20 + 23 (6), Apr 6 (1), May 1 + 4–5 (3),
      // Jun 19 (1), Sep 25 (1), Oct 1–2 + 5–7 (5) = 19; plus 6 make-up days → 261 − 19 + 6 = 248.
      const cal = strictCalendar();
      expect(cal.workingDaysBetween('2024-12-31', '2025-12-31')).to.equal(248);
      expect(cal.workingDaysBetween('2025-12-31', '2026-12-31')).to.equal(248);
    });

    it('when a make-up weekend day or a weekday holiday is asked about, then the schedule wins over the weekday', () => {
      const cal = strictCalendar();
      expect(cal.isWorkingDay('2025-02-08'), 'Sat 2025-02-08 is a make-up working day').to.equal(true);
      expect(cal.isWorkingDay('2025-02-09'), 'Sun 2025-02-09 is an ordinary Sunday').to.equal(false);
      expect(cal.isWorkingDay('2025-01-01'), 'Wed 2025-01-01 is New Year').to.equal(false);
      expect(cal.isWorkingDay('2025-10-08'), 'Wed 2025-10-08 is the last National Day day').to.equal(false);
      expect(cal.isWorkingDay('2025-10-09')).to.equal(true);
      expect(cal.isWorkingDay('2026-01-04'), 'Sun 2026-01-04 is a make-up working day').to.equal(true);
    });
  });

  describe('addWorkingDays', () => {
    it('when 20 working days run from Fri 2025-09-26 across the National Day break, then the limit is Thu 2025-10-30', () => {
      // Sep 26 not counted. Sep 27 Sat off; Sep 28 Sun make-up (1); Sep 29–30 (2–3); Oct 1–8 off;
      // Oct 9–10 (4–5); Oct 11 Sat make-up (6); Oct 13–17 (7–11); Oct 20–24 (12–16); Oct 27–30 (17–20).
      expect(strictCalendar().addWorkingDays('2025-09-26', 20)).to.equal('2025-10-30');
    });

    it('when 5 working days run from Fri 2025-01-24 across the Spring Festival break, then the limit is Fri 2025-02-07', () => {
      // Jan 25 Sat off; Jan 26 Sun make-up (1); Jan 27 Mon (2); Jan 28–Feb 4 off; Feb 5–7 (3–5).
      expect(strictCalendar().addWorkingDays('2025-01-24', 5)).to.equal('2025-02-07');
    });

    it('when 1 working day runs from Fri 2025-02-07, then it lands on the make-up Saturday 2025-02-08', () => {
      expect(strictCalendar().addWorkingDays('2025-02-07', 1)).to.equal('2025-02-08');
    });

    it('when 10 working days run from Thu 2026-02-12 across the 2026 Spring Festival, then both make-up Saturdays count and the limit is Wed 2026-03-04', () => {
      // Feb 13 Fri (1); Feb 14 Sat make-up (2); Feb 15–23 off; Feb 24–27 Tue–Fri (3–6); Feb 28 Sat make-up (7);
      // Mar 1 Sun off; Mar 2–4 Mon–Wed (8–10).
      expect(strictCalendar().addWorkingDays('2026-02-12', 10)).to.equal('2026-03-04');
    });

    it('when n is 0, then the triggering day itself is returned even on a holiday', () => {
      expect(strictCalendar().addWorkingDays('2025-10-01', 0)).to.equal('2025-10-01');
    });

    it('when n is negative or fractional, then it throws', () => {
      expect(() => strictCalendar().addWorkingDays('2025-10-01', -1)).to.throw(RangeError);
      expect(() => strictCalendar().addWorkingDays('2025-10-01', 1.5)).to.throw(RangeError);
    });
  });

  describe('workingDaysBetween', () => {
    it('when from is after to, then the count mirrors as a negative number', () => {
      // (Sep 26, Oct 30] holds 20 working days, see the National Day example above.
      const cal = strictCalendar();
      expect(cal.workingDaysBetween('2025-09-26', '2025-10-30')).to.equal(20);
      expect(cal.workingDaysBetween('2025-10-30', '2025-09-26')).to.equal(-20);
      expect(cal.workingDaysBetween('2025-10-30', '2025-10-30')).to.equal(0);
    });

    it('when many seeded random starts are shifted by n working days, then workingDaysBetween gives n back', () => {
      const cal = strictCalendar();
      const random = seededRandom(20250926);
      for (let i = 0; i < 500; i++) {
        // Starts in 2025 and n <= 120 keep every result inside the loaded 2025–2026 schedules.
        const from = addCalendarDays('2025-01-01', Math.floor(random() * 365));
        const n = Math.floor(random() * 121);
        const due = cal.addWorkingDays(from, n);
        expect(cal.workingDaysBetween(from, due), `${from} + ${n}`).to.equal(n);
        expect(cal.workingDaysBetween(due, from), `${due} back to ${from}`).to.equal(-n);
        if (n > 0) expect(cal.isWorkingDay(due), `${from} + ${n} = ${due}`).to.equal(true);
      }
    });
  });

  describe('years without a schedule: the statutory rules, provisional', () => {
    const days = (hs: { from: string; to: string }[]) => hs.flatMap((h) => {
      const out: string[] = [];
      for (let d = h.from; d <= h.to; d = addCalendarDays(d, 1)) out.push(d);
      return out;
    });

    it('when 2027 has no schedule, then its statutory holidays come from the law and the lunar calendar (除夕 Feb 5, 清明 Apr 5, 端午 Jun 9, 中秋 Sep 15)', () => {
      expect(statutoryHolidays(2027).map((h) => [h.name, h.from, h.to])).to.deep.equal([
        ['元旦', '2027-01-01', '2027-01-01'],
        ['春节', '2027-02-05', '2027-02-08'],
        ['清明节', '2027-04-05', '2027-04-05'],
        ['劳动节', '2027-05-01', '2027-05-02'],
        ['端午节', '2027-06-09', '2027-06-09'],
        ['中秋节', '2027-09-15', '2027-09-15'],
        ['国庆节', '2027-10-01', '2027-10-03'],
      ]);
    });

    for (const year of [2025, 2026]) {
      it(`when the statutory rules are applied to ${year}, then every day they give off is off in the official ${year} schedule`, () => {
        const official = years.find((y) => y.year === year)!;
        const statutory = days(statutoryHolidays(year));
        // 1 + 4 + 1 + 2 + 1 + 1 + 3 days, unless two festivals share a day.
        expect(statutory).to.have.length(13);
        expect(days(official.holidays)).to.include.members(statutory);
        expect(official.workingWeekends.filter((d) => statutory.includes(d))).to.deep.equal([]);
      });
    }

    it('when 20 working days run from 2026-12-20 into 2027, then Fri 2027-01-01 is off and the due date is 2027-01-18, provisional, with one warning naming 2027', () => {
      const warnings: string[] = [];
      const cal = new WorkingCalendar(years, { warn: (msg) => warnings.push(msg) });
      // Dec 21–25 (5), Dec 28–31 (9), Jan 1 New Year off, Jan 4–8 (14), Jan 11–15 (19), Mon Jan 18 (20).
      expect(cal.dueDate('2026-12-20', 20)).to.deep.equal({ date: '2027-01-18', provisional: true });
      expect(cal.dueDate('2026-12-20', 20)).to.deep.equal({ date: '2027-01-18', provisional: true });
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain('2027');
    });

    it('when a range stays inside the published years, then it is not provisional; when it reaches 2027, it is', () => {
      const cal = strictCalendar();
      expect(cal.dueDate('2026-12-01', 20)).to.deep.equal({ date: '2026-12-29', provisional: false });
      expect(cal.isProvisionalBetween('2026-12-01', '2026-12-31')).to.equal(false);
      expect(cal.isProvisionalBetween('2026-12-31', '2026-12-31')).to.equal(false);
      expect(() => new WorkingCalendar(years).isProvisionalBetween('2027-01-01', '2026-12-31')).to.not.throw();
      expect(new WorkingCalendar(years).isProvisionalBetween('2027-01-01', '2026-12-31')).to.equal(true);
      expect(strictCalendar().dueDate('2026-12-31', 0)).to.deep.equal({ date: '2026-12-31', provisional: false });
    });

    it('when 2027 is counted by the statutory rules, then there are no make-up working days and the Spring Festival runs 除夕 to 初三 only', () => {
      const cal = new WorkingCalendar(years);
      expect(cal.isWorkingDay('2027-02-04'), 'Thu before 除夕').to.equal(true);
      expect(cal.isWorkingDay('2027-02-05'), 'Fri 除夕').to.equal(false);
      expect(cal.isWorkingDay('2027-02-08'), 'Mon 初三').to.equal(false);
      expect(cal.isWorkingDay('2027-02-09'), 'Tue 初四').to.equal(true);
      expect(cal.isWorkingDay('2027-01-30'), 'Sat: no make-up day without the notice').to.equal(false);
      expect(cal.isWorkingDay('2027-10-04'), 'Mon after 国庆 Oct 1–3').to.equal(true);
      // 2027: 261 weekdays; weekday holidays Jan 1, Feb 5, Feb 8, Apr 5, Jun 9, Sep 15, Oct 1 = 7 → 254.
      expect(cal.workingDaysBetween('2026-12-31', '2027-12-31')).to.equal(254);
    });

    it('when the official 2027 schedule is loaded by reload(), then the same range is no longer provisional and follows it', () => {
      const cal = new WorkingCalendar(years);
      expect(cal.dueDate('2026-12-20', 20).provisional).to.equal(true);
      const fixture: CalendarYear = { year: 2027, source: 'test fixture', holidays: [{ name: '元旦', nameEn: "New Year's Day", from: '2027-01-01', to: '2027-01-03' }], workingWeekends: ['2027-01-09'] };
      cal.reload([...years, fixture]);
      expect(cal.loadedYears()).to.deep.equal([2025, 2026, 2027]);
      // The make-up Saturday Jan 9 counts: Jan 4–8 (14), Jan 9 (15), Jan 11–15 (20).
      expect(cal.dueDate('2026-12-20', 20)).to.deep.equal({ date: '2027-01-15', provisional: false });
    });

    it('when a date lies before 2025 with no schedule loaded, then it throws CALENDAR_YEAR_MISSING naming the year (the 2024 rules do not reach back)', () => {
      let caught: unknown;
      try {
        strictCalendar().addWorkingDays('2024-12-20', 5);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(CalendarYearMissingError);
      expect((caught as CalendarYearMissingError).code).to.equal('CALENDAR_YEAR_MISSING');
      expect((caught as CalendarYearMissingError).year).to.equal(2024);
      expect((caught as Error).message).to.contain('2024');
      expect(() => statutoryHolidays(2024)).to.throw(RangeError);
    });
  });

  describe('loadCalendars validation', () => {
    let dir: string;
    const good: CalendarYear = JSON.parse(JSON.stringify(years.find((y) => y.year === 2026)));

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'calendar-test-'));
    });

    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    function expectLoadError(mutate: (c: CalendarYear) => void, field: string): void {
      const bad: CalendarYear = JSON.parse(JSON.stringify(good));
      mutate(bad);
      const file = join(dir, '2026.json');
      writeFileSync(file, JSON.stringify(bad));
      expect(() => loadCalendars(dir)).to.throw(Error, `${file}: ${field} must`);
    }

    it('when a holiday ends before it starts, then the error names the file and holidays[2].to', () => {
      expectLoadError((c) => { c.holidays[2].to = '2026-04-03'; }, 'holidays[2].to');
    });

    it('when a date is not a real date, then the error names the field', () => {
      expectLoadError((c) => { c.holidays[0].from = '2026-02-30'; }, 'holidays[0].from');
    });

    it('when a date lies in another year, then the error names the field', () => {
      expectLoadError((c) => { c.workingWeekends[0] = '2025-01-26'; }, 'workingWeekends[0]');
    });

    it('when a declared working weekend day is a weekday, then the error names the field', () => {
      // 2026-01-05 is a Monday.
      expectLoadError((c) => { c.workingWeekends[0] = '2026-01-05'; }, 'workingWeekends[0]');
    });

    it('when a date is both a holiday and a working day, then the error names the working-day field', () => {
      // Sat 2026-01-03 lies inside the New Year break Jan 1–3.
      expectLoadError((c) => { c.workingWeekends[0] = '2026-01-03'; }, 'workingWeekends[0]');
    });

    it('when the file is well formed, then it loads', () => {
      writeFileSync(join(dir, '2026.json'), JSON.stringify(good));
      expect(loadCalendars(dir)).to.deep.equal([good]);
    });
  });

  describe('Asia/Shanghai time', () => {
    it('when an instant is at the UTC/Shanghai midnight boundary, then shanghaiDate switches at 16:00Z', () => {
      expect(shanghaiDate(new Date('2025-09-30T15:59:59.999Z'))).to.equal('2025-09-30');
      expect(shanghaiDate(new Date('2025-09-30T16:00:00.000Z'))).to.equal('2025-10-01');
      expect(shanghaiDate(new Date('2025-09-30T17:00:00Z'))).to.equal('2025-10-01');
      expect(shanghaiDate(new Date('2025-12-31T16:00:00Z'))).to.equal('2026-01-01');
    });

    it('when a day is given, then it starts and ends at 00:00 +08:00', () => {
      expect(startOfShanghaiDay('2025-10-01').toISOString()).to.equal('2025-09-30T16:00:00.000Z');
      expect(endOfShanghaiDay('2025-10-30').toISOString()).to.equal('2025-10-30T16:00:00.000Z');
      expect(endOfShanghaiDay('2025-12-31').getTime()).to.equal(new Date('2026-01-01T00:00:00+08:00').getTime());
    });

    it('when dates are validated and shifted, then impossible dates are rejected and months clamp to their end', () => {
      expect(isValidDate('2024-02-29')).to.equal(true);
      expect(isValidDate('2025-02-29')).to.equal(false);
      expect(isValidDate('2025-2-1')).to.equal(false);
      expect(addCalendarDays('2025-12-31', 1)).to.equal('2026-01-01');
      expect(addCalendarDays('2025-03-01', -1)).to.equal('2025-02-28');
      expect(addMonths('2025-01-31', 1)).to.equal('2025-02-28');
      expect(addMonths('2024-01-31', 1)).to.equal('2024-02-29');
      expect(addMonths('2025-03-31', -1)).to.equal('2025-02-28');
      expect(addMonths('2025-11-15', 3)).to.equal('2026-02-15');
      expect(() => addCalendarDays('2025-13-01', 1)).to.throw(RangeError);
    });
  });
});
