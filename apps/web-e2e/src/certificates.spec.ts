import { expect, test } from '@playwright/test';
import { signIn } from './support/sign-in';

const DEMO_COURSE = 'Kỹ năng số cơ bản cho cán bộ, công chức';

test('the demo learner downloads a certificate; anyone verifies it; after the organiser revokes it the public page says so', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await signIn(page, 'learner');
  await page.getByTestId('nav-my-certificates').click();
  const card = page.getByTestId('my-certificate').filter({ hasText: DEMO_COURSE });
  // Issued by the worker from the demo completion, then rendered: allow it a moment after start-up.
  await expect(card.getByTestId('my-certificate-pdf')).toBeVisible({ timeout: 30_000 });
  await expect(card.getByTestId('my-certificate-status')).toHaveText('Còn hiệu lực');
  const code = (await card.getByTestId('my-certificate-code').textContent())?.trim() as string;
  expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  const pdf = await page.request.get((await card.getByTestId('my-certificate-pdf').getAttribute('href')) as string);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  // A stranger (no sign-in) types the code in lower case without dashes.
  const publicPage = await (await browser.newContext()).newPage();
  await publicPage.goto('/verify');
  await publicPage.getByTestId('verify-code').fill(code.replace(/-/g, '').toLowerCase());
  await publicPage.getByTestId('verify-submit').click();
  await expect(publicPage.getByTestId('verify-status')).toContainText('Chứng nhận hợp lệ');
  await expect(publicPage.getByTestId('verify-holder')).toHaveText('Nguyễn Thị Hương');
  // A malformed code gets a clear message.
  await publicPage.getByTestId('verify-code').fill('12345');
  await publicPage.getByTestId('verify-submit').click();
  await expect(publicPage.getByTestId('verify-error')).toContainText('Mã xác thực không đúng định dạng');
  // Uploading something that is not the issued PDF.
  await publicPage.getByTestId('verify-pdf').setInputFiles({ name: 'gia-mao.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\nkhông phải chứng nhận\n%%EOF') });
  await expect(publicPage.getByTestId('verify-pdf-result')).toContainText('KHÔNG do hệ thống cấp');

  // The organiser revokes it from the course editor, giving a reason.
  const organiser = await (await browser.newContext()).newPage();
  await signIn(organiser, 'organiser');
  await organiser.getByTestId('nav-authoring').click();
  await organiser.getByTestId('authoring-course-row').filter({ hasText: 'DEMO-KNS-01' }).getByRole('link').click();
  await organiser.getByRole('tab', { name: 'Chứng nhận' }).click();
  const row = organiser.getByTestId('course-certificate-row').filter({ hasText: code });
  organiser.once('dialog', (d) => d.accept('Cấp nhầm người'));
  await row.getByTestId('certificate-revoke').click();
  await expect(row).toContainText('Đã thu hồi');

  await publicPage.goto(`/verify/${code}`);
  await expect(publicPage.getByTestId('verify-status')).toContainText('THU HỒI');
  await expect(publicPage.getByTestId('verify-reason')).toHaveText('Cấp nhầm người');
});

test('an organiser sets the province certificate template, is told about a bad validity, and downloads a course as one ZIP', async ({ page }) => {
  await signIn(page, 'organiser');
  await page.getByTestId('nav-certificate-templates').click();
  await expect(page.getByTestId('template-origin')).toBeVisible();
  await page.getByTestId('template-signer-title').fill('KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC');
  await page.getByTestId('template-signer-name').fill('Rơ Châm Thử');
  await page.getByTestId('template-validity').fill('mười hai');
  await page.getByTestId('template-save').click();
  await expect(page.getByTestId('template-error')).toHaveText('Thời hạn phải là số tháng từ 1 đến 240.');
  await page.getByTestId('template-validity').fill('24');
  await page.getByTestId('template-save').click();
  await expect(page.getByTestId('template-origin')).toContainText('Đơn vị có mẫu riêng');
  await page.reload();
  await expect(page.getByTestId('template-signer-name')).toHaveValue('Rơ Châm Thử');

  await page.getByTestId('nav-authoring').click();
  await page.getByTestId('authoring-course-row').filter({ hasText: 'DEMO-KNS-01' }).getByRole('link').click();
  await page.getByRole('tab', { name: 'Chứng nhận' }).click();
  await expect(page.getByTestId('course-certificate-row').first()).toBeVisible({ timeout: 30_000 });
  const [zip] = await Promise.all([page.waitForEvent('download'), page.getByTestId('certificates-zip').click()]);
  expect(zip.suggestedFilename()).toMatch(/\.zip$/);
  const bytes = await (await import('node:fs/promises')).readFile((await zip.path()) as string);
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
});
