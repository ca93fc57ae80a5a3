import { QuestionDefinition, QuestionType } from '@dxtrain/shared/contracts';
import { analyseItems, analyseSlotRows, AttemptSlotRow, ItemAnalysisAttempt, pearson } from './item-analysis';

/*
 * Hand computation. Four attempts, four 1-point questions; q1 is single choice (a right, b/c wrong).
 *
 *            q1 (choice)  q2  q3  q4 | total
 *   A1       1   (a)      1   1   1  |  4
 *   A2       1   (a)      0   1   1  |  3
 *   A3       0   (b)      1   0   1  |  2
 *   A4       0   (b)      0   0   1  |  1
 *
 * q1: x = [1,1,0,0], rest = total − q1 = [3,2,2,1]
 *     mean x = 0.5, mean rest = 2; dx = [.5,.5,−.5,−.5], dy = [1,0,0,−1]
 *     Σdx·dy = .5 + 0 + 0 + .5 = 1;  Σdx² = 1;  Σdy² = 2
 *     r = 1 / √(1·2) = 0.707107 → discrimination 70.71; facility = 50
 * q2: x = [1,0,1,0], rest = [3,3,1,1]; dx = [.5,−.5,.5,−.5], dy = [1,1,−1,−1]
 *     Σdx·dy = .5 − .5 − .5 + .5 = 0 → r = 0 → discrimination 0; facility 50
 * q3: same x and rest as q1 → 70.71; facility 50
 * q4: x = [1,1,1,1] has no variance → discrimination null; facility 100
 * options of q1: a chosen 2×, b 2×, c 0×
 */
const attempts: ItemAnalysisAttempt[] = [
  [1, 'a', 1, 1, 1],
  [1, 'a', 0, 1, 1],
  [0, 'b', 1, 0, 1],
  [0, 'b', 0, 0, 1],
].map(([q1, key, q2, q3, q4]) => ({
  score: (q1 as number) + (q2 as number) + (q3 as number) + (q4 as number),
  maxScore: 4,
  slots: [
    { questionId: 'q1', fraction: q1 as number, responseKey: key as string },
    { questionId: 'q2', fraction: q2 as number },
    { questionId: 'q3', fraction: q3 as number },
    { questionId: 'q4', fraction: q4 as number },
  ],
}));

describe('analyseItems', () => {
  const stats = analyseItems(attempts, {
    q1: {
      title: 'Thủ đô',
      type: 'single_choice',
      options: [
        { key: 'a', text: 'Hà Nội' },
        { key: 'b', text: 'Huế' },
        { key: 'c', text: 'Đà Nẵng' },
      ],
    },
  });

  it('computes facility and discrimination indexes as in the hand computation', () => {
    expect(stats.map((s) => [s.questionId, s.attempts, s.facilityIndex, s.discriminationIndex])).toEqual([
      ['q1', 4, 50, 70.71],
      ['q2', 4, 50, 0],
      ['q3', 4, 50, 70.71],
      ['q4', 4, 100, null],
    ]);
  });

  it('counts how often each option was chosen, listing unchosen ones', () => {
    expect(stats[0]).toMatchObject({
      title: 'Thủ đô',
      type: 'single_choice',
      options: [
        { key: 'a', text: 'Hà Nội', count: 2 },
        { key: 'b', text: 'Huế', count: 2 },
        { key: 'c', text: 'Đà Nẵng', count: 0 },
      ],
    });
    expect(stats[1].options).toEqual([]);
  });

  it('uses the question points for "the rest of the test"', () => {
    /*
     * Totals [3,3,1]; question worth 2 with fractions [1, .5, 0] → scores [2,1,0] → rest [1,2,1].
     * dx = [.5,0,−.5], mean rest 4/3, dy = [−1/3, 2/3, −1/3]; Σdx·dy = −1/6 + 0 + 1/6 = 0 → r = 0.
     * (Ignoring the points, rest would be [2,2.5,1] and r = 0.65.)
     */
    const r = analyseItems([3, 3, 1].map((score, i) => ({ score, maxScore: 4, slots: [{ questionId: 'x', fraction: [1, 0.5, 0][i], maxScore: 2 }] })));
    expect(r[0]).toMatchObject({ facilityIndex: 50, discriminationIndex: 0 });
  });

  it('gives null discrimination for a single attempt, and counts a null fraction as 0', () => {
    expect(analyseItems([{ score: 1, maxScore: 1, slots: [{ questionId: 'x', fraction: 1 }] }])[0]).toMatchObject({ attempts: 1, facilityIndex: 100, discriminationIndex: null });
    const r = analyseItems([
      { score: 1, maxScore: 2, slots: [{ questionId: 'x', fraction: null }] },
      { score: 2, maxScore: 2, slots: [{ questionId: 'x', fraction: 1 }] },
    ]);
    expect(r[0].facilityIndex).toBe(50);
  });

  it('pearson matches a textbook value', () => {
    // x = 1..5, y = [2,4,5,4,5]: Σdxdy = 6, Σdx² = 10, Σdy² = 6 → r = 6/√60 = 0.774597
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.774597, 6);
    expect(pearson([1, 1], [1, 2])).toBeNull();
  });
});

describe('analyseSlotRows', () => {
  const single: QuestionDefinition = {
    type: QuestionType.SingleChoice,
    title: 'Thủ đô',
    text: 'Thủ đô?',
    tags: [],
    options: [
      { id: 'a', text: 'Hà Nội', fraction: 1 },
      { id: 'b', text: 'Huế', fraction: 0 },
    ],
  };
  const tf: QuestionDefinition = { type: QuestionType.TrueFalse, text: 'Đề án 1690   năm 2023?', tags: [], points: 2, correct: true };

  it('groups stored slots by attempt and reads string numerics', () => {
    const rows: AttemptSlotRow[] = [
      { attempt_id: 'A1', question_id: 'q1', definition: single, response: { optionId: 'a' }, graded: { fraction: 1, score: 1, maxScore: 1 }, score: '3', max_score: '3' },
      { attempt_id: 'A1', question_id: 'q2', definition: tf, response: { value: true }, graded: { fraction: 1, score: 2, maxScore: 2 }, score: '3', max_score: '3' },
      { attempt_id: 'A2', question_id: 'q1', definition: single, response: { optionId: 'b' }, graded: { fraction: 0, score: 0, maxScore: 1 }, score: '2', max_score: '3' },
      { attempt_id: 'A2', question_id: 'q2', definition: tf, response: { value: true }, graded: { fraction: 1, score: 2, maxScore: 2 }, score: '2', max_score: '3' },
      { attempt_id: 'A3', question_id: 'q1', definition: single, response: null, graded: null, score: null, max_score: '3' },
      { attempt_id: 'A3', question_id: 'q2', definition: tf, response: { value: false }, graded: { fraction: 0, score: 0, maxScore: 2 }, score: null, max_score: '3' },
    ];
    const [q1, q2] = analyseSlotRows(rows);
    // q1: x = [1,0,0]; rest = [3−1, 2−0, 0−0] = [2,2,0]; dx = [2/3,−1/3,−1/3], dy = [2/3,2/3,−4/3]
    //     Σdxdy = 4/9 − 2/9 + 4/9 = 2/3; Σdx² = 2/3; Σdy² = 24/9 → r = (2/3)/√(16/9) = 0.5
    expect(q1).toEqual({
      questionId: 'q1',
      title: 'Thủ đô',
      type: 'single_choice',
      attempts: 3,
      facilityIndex: 33.33,
      discriminationIndex: 50,
      options: [
        { key: 'a', text: 'Hà Nội', count: 1 },
        { key: 'b', text: 'Huế', count: 1 },
      ],
    });
    expect(q2).toMatchObject({
      title: 'Đề án 1690 năm 2023?',
      attempts: 3,
      facilityIndex: 66.67,
      options: [
        { key: 'true', text: 'Đúng', count: 2 },
        { key: 'false', text: 'Sai', count: 1 },
      ],
    });
  });
});
