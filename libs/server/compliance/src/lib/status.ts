import { TrainingStatus, UntrainedReason } from '@dxtrain/shared/contracts';
import { trainingYearOf } from '@dxtrain/shared/vietnamese';

/**
 * The rules of a person's status for a year, in TypeScript for the unit tests and the reader.
 * The refresh job computes the same thing for everyone at once in SQL (compliance-refresh.service.ts);
 * the integration tests check that the two agree on a hand-computed data set.
 */
export interface RuleThreshold {
  /** At least this many periods of qualifying training … */
  minPeriods: number | null;
  /** … or every one of these courses completed. */
  courseIds: readonly string[];
}

export interface PersonYearFacts {
  exempt: boolean;
  /** Qualifying trainings completed in the year, on or before the rule's deadline. */
  records: ReadonlyArray<{ periods: number; courseId: string | null }>;
  /** Enrolled (not withdrawn) in some course this year. */
  enrolled: boolean;
  /** Has a finished quiz attempt below the pass mark this year. */
  failedExam: boolean;
}

/** The default rule: at least one completed qualifying training in the year. */
export const DEFAULT_RULE: RuleThreshold = { minPeriods: null, courseIds: [] };

export function meetsRule(rule: RuleThreshold | null, records: PersonYearFacts['records']): boolean {
  const r = rule ?? DEFAULT_RULE;
  if (r.minPeriods === null && r.courseIds.length === 0) return records.length >= 1;
  const periods = records.reduce((sum, x) => sum + x.periods, 0);
  if (r.minPeriods !== null && periods >= r.minPeriods) return true;
  if (r.courseIds.length > 0) {
    const done = new Set(records.map((x) => x.courseId));
    return r.courseIds.every((c) => done.has(c));
  }
  return false;
}

export function deriveStatus(rule: RuleThreshold | null, facts: PersonYearFacts): { status: TrainingStatus; reason: UntrainedReason | null } {
  if (facts.exempt) return { status: TrainingStatus.Exempt, reason: null };
  if (meetsRule(rule, facts.records)) return { status: TrainingStatus.Trained, reason: null };
  const started = facts.records.length > 0 || facts.enrolled;
  const status = started ? TrainingStatus.InProgress : TrainingStatus.NotStarted;
  const reason = facts.failedExam ? UntrainedReason.FailedExam : started ? UntrainedReason.EnrolledNotCompleted : UntrainedReason.NotEnrolled;
  return { status, reason };
}

/** trained / (members − exempt); null when nobody is counted. */
export function coverageRate(f: { members: number; exempt: number; trained: number }): number | null {
  const counted = f.members - f.exempt;
  return counted > 0 ? f.trained / counted : null;
}

/**
 * Least-squares straight line through (year, rate) and its values from the last year with data to
 * `toYear`, clamped to 0..1. One point: flat. No points: nothing.
 */
export function projectToYear(points: ReadonlyArray<{ year: number; rate: number }>, toYear: number): Array<{ year: number; coverageRate: number }> {
  if (points.length === 0) return [];
  const last = points.reduce((a, b) => (b.year > a.year ? b : a));
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.year, 0) / n;
  const my = points.reduce((s, p) => s + p.rate, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.year - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : points.reduce((s, p) => s + (p.year - mx) * (p.rate - my), 0) / sxx;
  const at = (y: number) => Math.min(1, Math.max(0, my + slope * (y - mx)));
  const out: Array<{ year: number; coverageRate: number }> = [];
  for (let y = last.year; y <= Math.max(toYear, last.year); y++) out.push({ year: y, coverageRate: Math.round(at(y) * 10000) / 10000 });
  return out;
}

/** The key two rules contradict on: same year, unit, category and position (case-insensitive). */
export function ruleKey(r: { year: number; orgUnitId: string; networkCategory: string | null; position: string | null }): string {
  return [r.year, r.orgUnitId, r.networkCategory ?? '*', (r.position ?? '*').normalize('NFC').toLowerCase()].join('|');
}

/** Calendar year in Asia/Ho_Chi_Minh (the training year). */
export const vnYear = trainingYearOf;
