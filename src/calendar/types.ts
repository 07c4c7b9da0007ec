/** A statutory holiday break as declared by the State Council, inclusive of both ends. */
export interface Holiday {
  name: string;
  nameEn: string;
  from: string;
  to: string;
}

/** One year's official holiday schedule (国务院办公厅 notice), as stored in config/calendars/<year>.json. */
export interface CalendarYear {
  year: number;
  source: string;
  holidays: Holiday[];
  /** Saturdays and Sundays declared working days (调休上班). */
  workingWeekends: string[];
}
