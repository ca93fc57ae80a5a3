import { expect, test } from '@playwright/test';
import { signIn } from './support/sign-in';
import { DEMO_PASSWORD } from '../playwright.config';

/** A datetime-local value in Vietnam's time, `ms` from now. */
const vnInput = (ms: number) => new Date(Date.now() + ms + 7 * 3600_000).toISOString().slice(0, 16);

test('an organiser schedules a class and opens it, a manager nominates, the learner registers and checks in by QR, attendance completes the class', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const stamp = Date.now();
  const title = `Lớp tập huấn chữ ký số ${stamp}`;
  await signIn(page, 'organiser');
  await page.getByTestId('nav-classes').click();
  await page.getByTestId('class-new').click();
  await page.getByTestId('class-field-title').fill(title);
  await page.getByTestId('class-field-capacity').fill('5');
  await page.getByTestId('class-field-room').fill(`Hội trường E2E ${stamp}`);
  await page.getByTestId('class-field-trainers').fill(`ThS. Lê Minh Giảng ${stamp}`); // unique: the same trainer at the same time elsewhere is refused
  await page.getByTestId('class-save').click();
  await expect(page.getByTestId('class-title')).toHaveText(title);
  await expect(page.getByTestId('class-status')).toHaveText('Bản nháp');

  // Two sessions on two days; one ending before it starts is refused with a clear message.
  await page.getByTestId('new-session-start').fill('2030-03-11T10:00');
  await page.getByTestId('new-session-end').fill('2030-03-11T08:00');
  await page.getByTestId('add-session').click();
  await expect(page.getByTestId('class-error')).toContainText('Giờ kết thúc buổi học phải sau giờ bắt đầu');
  await expect(page.getByTestId('session-row')).toHaveCount(0);
  await page.getByTestId('new-session-start').fill('2030-03-11T08:00');
  await page.getByTestId('new-session-end').fill('2030-03-11T11:30');
  await page.getByTestId('add-session').click();
  await expect(page.getByTestId('session-row')).toHaveCount(1);
  await page.getByTestId('new-session-start').fill('2030-03-12T13:30');
  await page.getByTestId('new-session-end').fill('2030-03-12T17:00');
  await page.getByTestId('add-session').click();
  await expect(page.getByTestId('session-row')).toHaveCount(2);
  // A third session happening right now (so listed first), for the QR self check-in.
  await page.getByTestId('new-session-start').fill(vnInput(-10 * 60_000));
  await page.getByTestId('new-session-end').fill(vnInput(60 * 60_000));
  await page.getByTestId('add-session').click();
  await expect(page.getByTestId('session-row')).toHaveCount(3);
  await page.getByTestId('class-open').click();
  await expect(page.getByTestId('class-status')).toHaveText('Đang mở đăng ký');
  const classUrl = page.url();

  // The unit manager of Phường Pleiku finds the open class and nominates someone of their ward; the search offers nobody else.
  const manager = await (await browser.newContext()).newPage();
  await signIn(manager, 'manager');
  await manager.getByTestId('nav-classes').click();
  await manager.getByTestId('class-link').filter({ hasText: title }).click();
  await manager.getByTestId('person-search').fill('Trần');
  await expect(manager.getByTestId('person-add').first()).toBeVisible();
  const offered = (await manager.getByTestId('person-add').locator('xpath=../span').allTextContents()).map((t) => t.trim());
  expect(offered.length).toBeGreaterThan(0);
  for (const o of offered) expect(o).toMatch(/^Trần .+ · GL-\d+ · (Phường Pleiku|Tổ công nghệ số cộng đồng .+)$/);
  await manager.getByTestId('person-add').first().click();
  const nominated = manager.getByTestId('registration-row').first();
  await expect(nominated).toContainText('Đơn vị cử');
  await expect(nominated.locator('td:nth-child(2)')).toHaveText(/^\s*(Phường Pleiku|Tổ công nghệ số cộng đồng .+)\s*$/);
  await expect(nominated.getByTestId('registration-status')).toHaveText('Đã xác nhận');

  // The learner finds it among the upcoming classes and registers.
  const learner = await (await browser.newContext()).newPage();
  await signIn(learner, 'learner');
  // Learners have their classes, not the organisers' list.
  await expect(learner.getByTestId('nav-classes')).toHaveCount(0);
  await learner.getByTestId('nav-my-classes').click();
  await learner.getByTestId('upcoming-class').filter({ hasText: title }).getByTestId('upcoming-register').click();
  const mine = learner.getByTestId('my-class').filter({ hasText: title });
  await expect(mine.getByTestId('my-class-status')).toHaveText('Đã xác nhận');
  // "Add to calendar" downloads an iCalendar file.
  const [ics] = await Promise.all([learner.waitForEvent('download'), mine.getByTestId('my-class-ics').click()]);
  expect(ics.suggestedFilename()).toBe('lop-tap-huan.ics');

  // The organiser sees the registration, shows the QR of the running session; the learner's phone opens it, signed out.
  await page.goto(classUrl);
  const row = page.getByTestId('registration-row').filter({ hasText: 'Nguyễn Thị Hương' });
  await expect(row.getByTestId('registration-status')).toHaveText('Đã xác nhận');
  await page.getByTestId('attendance-session').nth(0).click();
  await expect(page.getByTestId('attendance-heading')).toContainText('Buổi 1');
  await page.getByTestId('show-qr').click();
  await expect(page.getByTestId('qr').locator('svg')).toBeVisible();
  const qrUrl = (await page.getByTestId('qr-url').getAttribute('href')) as string;
  const phone = await (await browser.newContext()).newPage();
  await phone.goto(new URL(qrUrl).pathname);
  await phone.getByTestId('check-in-username').fill('learner');
  await phone.getByTestId('check-in-password').fill(DEMO_PASSWORD);
  await phone.getByTestId('check-in-sign-in').click();
  await expect(phone.getByTestId('check-in-done')).toContainText(title);
  await page.getByTestId('attendance-session').nth(0).click();
  await expect(page.getByTestId('attendance-heading')).toContainText('Buổi 1');
  await expect(page.getByTestId('attendance-row').filter({ hasText: 'Nguyễn Thị Hương' }).getByTestId('attendance-mark')).toHaveValue('present');
  const [sheet] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sign-in-sheet').click()]);
  expect(sheet.suggestedFilename()).toBe('danh-sach-ky-ten.pdf');

  // Then marks the other two sessions, everyone present (bulk).
  for (const i of [1, 2]) {
    await page.getByTestId('attendance-session').nth(i).click();
    await expect(page.getByTestId('attendance-heading')).toContainText(`Buổi ${i + 1}`);
    await expect(page.getByTestId('attendance-row').filter({ hasText: 'Nguyễn Thị Hương' })).toBeVisible();
    await page.getByTestId('attendance-all-present').click();
    await page.getByTestId('attendance-save').click();
    await expect(page.getByTestId('attendance-row').filter({ hasText: 'Nguyễn Thị Hương' }).getByTestId('attendance-mark')).toHaveValue('present');
  }
  await expect(row.getByTestId('registration-completed')).toBeVisible();

  // The learner sees the class completed.
  await learner.reload();
  const done = learner.getByTestId('my-class').filter({ hasText: title });
  await expect(done.getByTestId('my-class-completed')).toHaveText('Đã hoàn thành');
  await expect(done.getByTestId('my-class-mark')).toHaveText(['Có mặt', 'Có mặt', 'Có mặt']);
});
