import { trainingYearOf } from './calendar';

describe('trainingYearOf', () => {
  it('follows the calendar in Asia/Ho_Chi_Minh, not UTC', () => {
    expect(trainingYearOf(new Date('2026-12-31T16:59:59Z'))).toBe(2026);
    expect(trainingYearOf(new Date('2026-12-31T17:00:00Z'))).toBe(2027);
  });
});
