import { expect, Locator, Page, test } from '@playwright/test';
import { signIn } from './support/sign-in';

async function choose(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  await select.click();
  await page.getByRole('option', { name: option }).click();
}

const Q_TRUE = 'Chữ ký số có giá trị pháp lý như chữ ký tay.';
const Q_FALSE = 'Nên dùng chung một mật khẩu cho mọi hệ thống để dễ nhớ.';

/** Answers both questions in the open attempt: rightly or wrongly; waits until each answer is saved. */
async function answer(page: Page, right: boolean): Promise<void> {
  for (const [text, truth] of [[Q_TRUE, true], [Q_FALSE, false]] as const) {
    const q = page.getByTestId('attempt-question').filter({ hasText: text });
    await q.getByLabel(truth === right ? 'Đúng' : 'Sai', { exact: true }).check();
    await expect(q.getByTestId('slot-save-state')).toHaveText('Đã lưu');
  }
}

test('an organiser builds and publishes a course with a final quiz; a learner fails once, passes and sees it completed', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const code = `E2E-HOC-${Date.now().toString(36).toUpperCase()}`;
  const title = `Kỹ năng số cơ bản ${code}`;

  // Organiser: create the course.
  await signIn(page, 'organiser');
  await page.getByTestId('nav-authoring').click();
  await page.getByTestId('new-course-code').fill(code);
  await page.getByTestId('new-course-title').fill(title);
  await page.getByTestId('new-course-periods').fill('4');
  await expect(page.getByTestId('new-course-unit')).toContainText('Tỉnh');
  await page.getByTestId('new-course-create').click();
  await expect(page.getByTestId('editor-status')).toHaveText('Bản nháp');

  // Question bank: two true/false questions; an empty question is refused with a clear message.
  await page.getByRole('tab', { name: 'Ngân hàng câu hỏi' }).click();
  await page.getByTestId('question-add').click();
  await expect(page.getByTestId('bank-error')).toContainText('Câu hỏi không hợp lệ');
  await expect(page.getByTestId('bank-question')).toHaveCount(0);
  for (const [text, truth] of [[Q_TRUE, true], [Q_FALSE, false]] as const) {
    await choose(page, page.getByTestId('question-type'), 'Đúng / Sai');
    await page.getByTestId('question-text').fill(text);
    const box = page.getByTestId('question-true').getByRole('checkbox');
    if ((await box.isChecked()) !== truth) await box.click();
    await page.getByTestId('question-add').click();
    await expect(page.getByTestId('bank-question').filter({ hasText: text })).toBeVisible();
  }
  await expect(page.getByTestId('bank-question')).toHaveCount(2);

  // A graded final quiz with both questions, at most 3 attempts, answers shown after submitting.
  await page.getByRole('tab', { name: 'Bài kiểm tra' }).click();
  await page.getByTestId('quiz-title-input').fill('Bài kiểm tra cuối khoá');
  await page.getByTestId('quiz-select-all').click();
  await page.getByTestId('quiz-max-attempts').fill('3');
  await page.getByTestId('quiz-save').click();
  await expect(page.getByTestId('quiz-row')).toContainText('2 câu hỏi');

  // Content: a section with a reading lesson and the quiz lesson; the quiz is the final quiz.
  await page.getByRole('tab', { name: 'Nội dung' }).click();
  await page.getByTestId('section-title').fill('Phần 1. Nhận thức số');
  await page.getByTestId('section-add').click();
  await expect(page.getByTestId('editor-section')).toHaveCount(1);
  await page.getByTestId('section-add-lesson').click();
  await page.getByTestId('lesson-title-input').fill('Chữ ký số là gì?');
  await page.getByTestId('lesson-markdown').fill('# Chữ ký số\n\nChữ ký số **có giá trị pháp lý** theo Luật Giao dịch điện tử.');
  await page.getByTestId('lesson-add').click();
  await expect(page.getByTestId('editor-lesson')).toHaveCount(1);
  await page.getByTestId('section-add-lesson').click();
  await page.getByTestId('lesson-title-input').fill('Kiểm tra cuối khoá');
  await choose(page, page.getByTestId('lesson-kind'), 'Bài kiểm tra');
  await choose(page, page.getByTestId('lesson-quiz'), 'Bài kiểm tra cuối khoá');
  await page.getByTestId('lesson-add').click();
  await expect(page.getByTestId('editor-lesson')).toHaveCount(2);
  await choose(page, page.getByTestId('draft-final-quiz'), 'Bài kiểm tra cuối khoá');
  await page.getByTestId('draft-save').click();
  await expect(page.getByText('Đã lưu')).toBeVisible();
  await page.getByTestId('course-publish').click();
  await expect(page.getByTestId('editor-status')).toHaveText('Đã xuất bản');

  // Learner, in a separate browser context: finds the course without diacritics and starts it.
  const learner = await (await browser.newContext()).newPage();
  await signIn(learner, 'learner');
  await learner.getByTestId('nav-catalogue').click();
  await learner.getByTestId('catalogue-search').fill(`ky nang so co ban ${code.toLowerCase()}`);
  await learner.getByTestId('catalogue-item').filter({ hasText: code }).click();
  await expect(learner.getByTestId('course-title')).toHaveText(title);
  await learner.getByTestId('course-start').click();

  // Lesson 1: rendered Markdown, marked done, then on to the quiz.
  await expect(learner.getByTestId('lesson-title')).toHaveText('Chữ ký số là gì?');
  await expect(learner.getByTestId('lesson-text').locator('strong')).toHaveText('có giá trị pháp lý');
  await learner.getByTestId('lesson-complete').click();
  await expect(learner.getByTestId('lesson-done')).toBeVisible();
  await learner.getByTestId('lesson-next').click();
  await learner.getByTestId('lesson-open-quiz').click();

  // First attempt: both wrong → not passed, the correct answers are shown after submitting.
  await learner.getByTestId('quiz-start').click();
  await expect(learner.getByTestId('attempt-question')).toHaveCount(2);
  await answer(learner, false);
  await learner.getByTestId('attempt-submit').click();
  await learner.getByTestId('attempt-submit-confirm').click();
  await expect(learner.getByTestId('attempt-passed')).toHaveText('Chưa đạt');
  await expect(learner.getByTestId('attempt-score')).toContainText('0/2');
  await expect(learner.getByTestId('slot-correct-answer').first()).toBeVisible();

  // Back to the quiz: one attempt used of three; second attempt all right → passed.
  await learner.getByRole('link', { name: 'Về trang bài kiểm tra' }).click();
  await expect(learner.getByTestId('quiz-attempt')).toHaveCount(1);
  await learner.getByTestId('quiz-start').click();
  await answer(learner, true);
  await learner.getByTestId('attempt-submit').click();
  await learner.getByTestId('attempt-submit-confirm').click();
  await expect(learner.getByTestId('attempt-passed')).toHaveText('Đạt');
  await expect(learner.getByTestId('attempt-score')).toContainText('2/2');

  // The course is completed, on the course page and in My learning.
  await learner.getByTestId('attempt-to-course').click();
  await expect(learner.getByTestId('course-status')).toContainText('Đã hoàn thành');
  await learner.getByTestId('nav-my-learning').click();
  await expect(learner.getByTestId('my-learning-item').filter({ hasText: code }).getByTestId('my-learning-status')).toHaveText('Đã hoàn thành');

  // The organiser sees the learner's result: passed, two attempts.
  await page.getByRole('tab', { name: 'Kết quả' }).click();
  await expect(page.getByTestId('results-row')).toHaveCount(1);
  await expect(page.getByTestId('results-row')).toContainText('Đạt');
  await expect(page.getByTestId('item-row')).toHaveCount(2);
});
