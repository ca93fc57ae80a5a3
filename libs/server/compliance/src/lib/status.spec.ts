import { TrainingStatus, UntrainedReason } from '@dxtrain/shared/contracts';
import { coverageRate, deriveStatus, meetsRule, projectToYear, ruleKey } from './status';

const none = { exempt: false, records: [], enrolled: false, failedExam: false };

describe('status derivation', () => {
  it('default rule: one completed training is enough; nothing at all is "not started, not enrolled"', () => {
    expect(deriveStatus(null, { ...none, records: [{ periods: 2, courseId: 'a' }] })).toEqual({ status: TrainingStatus.Trained, reason: null });
    expect(deriveStatus(null, none)).toEqual({ status: TrainingStatus.NotStarted, reason: UntrainedReason.NotEnrolled });
  });

  it('periods threshold: 36 of 40 periods is in progress; 40 is trained', () => {
    const rule = { minPeriods: 40, courseIds: [] };
    const some = [{ periods: 24, courseId: 'a' }, { periods: 12, courseId: null }];
    expect(deriveStatus(rule, { ...none, records: some })).toEqual({ status: TrainingStatus.InProgress, reason: UntrainedReason.EnrolledNotCompleted });
    expect(deriveStatus(rule, { ...none, records: [...some, { periods: 4, courseId: 'b' }] }).status).toBe(TrainingStatus.Trained);
  });

  it('"H periods or courses K": the courses alone satisfy the rule', () => {
    const rule = { minPeriods: 40, courseIds: ['k1', 'k2'] };
    expect(meetsRule(rule, [{ periods: 4, courseId: 'k1' }])).toBe(false);
    expect(meetsRule(rule, [{ periods: 4, courseId: 'k1' }, { periods: 4, courseId: 'k2' }])).toBe(true);
  });

  it('exempt wins over everything; a failed exam is the reason when not trained', () => {
    expect(deriveStatus(null, { ...none, exempt: true }).status).toBe(TrainingStatus.Exempt);
    expect(deriveStatus(null, { ...none, enrolled: true, failedExam: true })).toEqual({ status: TrainingStatus.InProgress, reason: UntrainedReason.FailedExam });
    expect(deriveStatus(null, { ...none, enrolled: true })).toEqual({ status: TrainingStatus.InProgress, reason: UntrainedReason.EnrolledNotCompleted });
  });

  it('coverage rate leaves exempt people out and is null for an empty unit', () => {
    expect(coverageRate({ members: 10, exempt: 2, trained: 6 })).toBe(0.75);
    expect(coverageRate({ members: 1, exempt: 1, trained: 0 })).toBeNull();
  });

  it('contradiction key ignores the case of the position', () => {
    expect(ruleKey({ year: 2026, orgUnitId: 'u', networkCategory: null, position: 'Chuyên viên' })).toBe(
      ruleKey({ year: 2026, orgUnitId: 'u', networkCategory: null, position: 'CHUYÊN VIÊN' }),
    );
  });
});

describe('projection to 2030', () => {
  it('a straight line through 40%, 50%, 60% reaches 100% in 2030 and is clamped', () => {
    const p = projectToYear([{ year: 2024, rate: 0.4 }, { year: 2025, rate: 0.5 }, { year: 2026, rate: 0.6 }], 2030);
    expect(p.map((x) => x.year)).toEqual([2026, 2027, 2028, 2029, 2030]);
    expect(p[0].coverageRate).toBeCloseTo(0.6);
    expect(p[4].coverageRate).toBe(1);
  });

  it('one point stays flat; no points project nothing', () => {
    expect(projectToYear([{ year: 2029, rate: 0.3 }], 2030)).toEqual([{ year: 2029, coverageRate: 0.3 }, { year: 2030, coverageRate: 0.3 }]);
    expect(projectToYear([], 2030)).toEqual([]);
  });
});
