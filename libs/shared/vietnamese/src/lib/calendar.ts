/** Training years are calendar years in Vietnam's time zone (Asia/Ho_Chi_Minh, UTC+7, no DST). */
const YEAR = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' });

/** The training year a moment falls in (31 December 20:00 UTC is already next year in Vietnam). */
export function trainingYearOf(date: Date = new Date()): number {
  return Number(YEAR.format(date));
}
