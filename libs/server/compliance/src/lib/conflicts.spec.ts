import { TrainingRequirement } from '@dxtrain/shared/contracts';
import { findConflicts } from './compliance.service';

const rule = (id: string, over: Partial<TrainingRequirement> = {}): TrainingRequirement => ({
  id,
  year: 2026,
  orgUnitId: 'gl',
  orgUnitName: 'Tỉnh Gia Lai',
  networkCategory: null,
  position: null,
  minPeriods: 40,
  courseIds: [],
  deadline: '2026-12-31',
  active: true,
  ...over,
});

describe('rule contradictions', () => {
  it('two active rules for the same year, unit, category and position contradict', () => {
    const c = findConflicts([rule('a'), rule('b', { minPeriods: 24 }), rule('c', { networkCategory: 'commune_official' })]);
    expect(c).toEqual([{ ruleIds: ['a', 'b'], message: 'Tỉnh Gia Lai 2026: * / * — 40 vs 24 periods' }]);
  });

  it('an inactive rule, another position or another unit does not', () => {
    expect(findConflicts([rule('a'), rule('b', { active: false }), rule('c', { position: 'Chuyên viên' }), rule('d', { orgUnitId: 'tn' })])).toEqual([]);
  });
});
