import { APIRequestContext, expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { DEMO_PASSWORD } from '../playwright.config';

async function apiToken(request: APIRequestContext, username: string): Promise<string> {
  const res = await request.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

test('an organiser imports a file with good and bad rows: dry run, confirm, counts, errors download', async ({ page, request }) => {
  // A published course and two real commune codes of the organiser's province, through the API.
  const token = await apiToken(request, 'organiser');
  const headers = { Authorization: `Bearer ${token}` };
  const me = (await (await request.get('/api/me', { headers })).json()) as { grants: Array<{ role: string; orgUnitId: string }> };
  const provinceId = me.grants.find((g) => g.role === 'organiser')?.orgUnitId as string;
  const units = (await (await request.get(`/api/org-units/${provinceId}/subtree`, { headers })).json()) as Array<{ code: string; kind: string; validTo: string | null }>;
  const communes = units.filter((u) => u.kind === 'commune' && !u.validTo).map((u) => u.code);
  const code = `E2E-IMP-${Date.now()}`;
  const course = (await (await request.post('/api/courses', { headers, data: { code, title: 'Khoá học nhập danh sách E2E', periods: 2, ownerUnitId: provinceId } })).json()) as { id: string };
  const section = (await (await request.post(`/api/courses/${course.id}/sections`, { headers, data: { title: 'Phần 1' } })).json()) as { id: string };
  await request.post(`/api/courses/${course.id}/sections/${section.id}/lessons`, { headers, data: { title: 'Bài 1', kind: 'text', markdown: 'Nội dung' } });
  expect((await request.post(`/api/courses/${course.id}/publish`, { headers })).ok()).toBe(true);

  const tag = Date.now().toString(36).toUpperCase();
  const csv = [
    'Mã cán bộ;Họ và tên;Email;Mã đơn vị;Vị trí việc làm;Nhóm mạng lưới',
    `E2E1-${tag};Nguyễn Thị Lan;lan.${tag.toLowerCase()}@example.gov.vn;${communes[0]};Công chức;Đầu mối CĐS của đơn vị`,
    `E2E2-${tag};Trần Văn Minh;;${communes[1]};;`,
    `E2E3-${tag};Lê Thị Ngọc;;${communes[0]};;Thành viên Tổ công nghệ số cộng đồng`,
    `E2E4-${tag};Phạm Văn Oanh;khong-phai-email;${communes[0]};;`,
    `E2E5-${tag};Hoàng Văn Phú;;KHONG-TON-TAI;;`,
    `E2E1-${tag};Dòng trùng;;${communes[0]};;`,
  ].join('\r\n');

  await page.goto('/login');
  await page.getByTestId('login-username').fill('organiser');
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-enrolment').click();
  await page.getByRole('tab', { name: 'Nhập từ tệp' }).click();

  await page.getByTestId('import-course').click();
  await page.getByRole('option', { name: new RegExp(code) }).click();
  await page.getByTestId('import-file').setInputFiles({ name: 'danh-sach.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.getByTestId('import-file-name')).toHaveText('danh-sach.csv');
  await page.getByTestId('import-dry-run').click();

  // Dry run: the preview shows exact counts and the first errors, and nothing is written yet.
  await expect(page.getByTestId('count-total')).toHaveText('6', { timeout: 20_000 });
  await expect(page.getByTestId('count-created')).toHaveText('3');
  await expect(page.getByTestId('count-enrolled')).toHaveText('3');
  await expect(page.getByTestId('count-failed')).toHaveText('3');
  await expect(page.getByTestId('import-errors')).toContainText('không hợp lệ');
  const before = (await (await request.get(`/api/enrolments?courseId=${course.id}`, { headers })).json()) as { total: number };
  expect(before.total).toBe(0);

  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('count-enrolled')).toHaveText('3');
  await expect(page.getByTestId('count-failed')).toHaveText('3');

  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('import-errors-download').click();
  const download = await downloadPromise;
  const text = readFileSync((await download.path()) as string, 'utf8').replace(/^\uFEFF/, '');
  const lines = text.trim().split('\r\n');
  expect(lines[0]).toBe('Dòng,Cột,Lỗi');
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['5', '6', '7']);
  expect(text).toContain('Trùng với dòng 2');

  const after = (await (await request.get(`/api/enrolments?courseId=${course.id}`, { headers })).json()) as { total: number };
  expect(after.total).toBe(3);
  await page.getByRole('tab', { name: 'Danh sách ghi danh' }).click();
  await page.getByTestId('enrolment-course').click();
  await page.getByRole('option', { name: new RegExp(code) }).click();
  await expect(page.getByTestId('enrolment-row')).toHaveCount(3);
});
