import { readFileSync } from 'node:fs';
import { expect, Locator, Page, test } from '@playwright/test';
import { signIn } from './support/sign-in';

const FORMER_UNIT = 'Đơn vị trước sắp xếp';
const MERGED = 'đã giải thể, sáp nhập';
const DISTRICT = /^(Huyện|Thị xã|Thành phố) /;

type Row = { name: string; badge: string };

/** The drill-down rows as shown: the unit's name and its badge (former unit, merged) if any. */
function coverageRows(page: Page): Promise<Row[]> {
  return page.getByTestId('coverage-row').evaluateAll((trs) =>
    trs.map((tr) => {
      const td = tr.querySelector('td') as HTMLTableCellElement;
      const name = Array.from(td.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      return { name, badge: td.querySelector('.badge')?.textContent?.trim() ?? '' };
    }),
  );
}

const names = (rows: Row[]) => rows.map((r) => r.name);
const row = (page: Page, name: string): Locator => page.getByTestId('coverage-row').filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^\\s*${name}\\s*(${FORMER_UNIT}|${MERGED})?\\s*$`) }) });

/** Picks a year in the year selector and waits until the dashboard shows that year's answer. */
async function chooseYear(page: Page, year: number): Promise<void> {
  await page.getByTestId('dashboard-year').click();
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/compliance' && new URL(r.url()).searchParams.get('year') === String(year)),
    page.getByRole('option', { name: String(year), exact: true }).click(),
  ]);
  expect(res.ok()).toBe(true);
  await expect(page.getByTestId('dashboard-year')).toContainText(String(year));
  await expect(page.getByTestId('dashboard-figures')).toBeVisible();
}

test('the unit manager sees only Phường Pleiku: its teams in 2026, the former communes it was formed from in 2024, no way up', async ({ page }) => {
  await signIn(page, 'manager');
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText('Phường Pleiku');
  await expect(page.getByTestId('dashboard-crumbs').getByRole('link')).toHaveCount(0);
  await expect(page.getByTestId('figure-training')).toHaveText(/^\d+(,\d)?%$/);
  await expect(page.getByTestId('dashboard-summary')).toContainText('Phường Pleiku:');
  // The ward's community digital teams, and nothing of the province or another commune.
  await expect(page.getByTestId('coverage-row').first()).toBeVisible();
  const rows = await coverageRows(page);
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r).toEqual({ name: expect.stringMatching(/^Tổ công nghệ số cộng đồng /), badge: '' });
  // The untrained are people of the ward or its teams.
  await expect(page.getByTestId('untrained-row').first()).toBeVisible();
  for (const unit of await page.getByTestId('untrained-row').locator('td:nth-child(2)').allTextContents()) {
    expect(unit.trim()).toMatch(/^(Phường Pleiku|Tổ công nghệ số cộng đồng .+)$/);
  }
  await expect(page.getByTestId('trend-chart')).toBeVisible();
  // The requirements page is for admins and organisers.
  await expect(page.getByTestId('dashboard-requirements')).toHaveCount(0);

  // 2024, in 2024's structure: the former wards and communes that became Phường Pleiku, as former units.
  await chooseYear(page, 2024);
  await expect(row(page, 'Phường Hội Thương')).toBeVisible();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText('Phường Pleiku');
  const before = await coverageRows(page);
  expect(names(before)).toEqual(expect.arrayContaining(['Phường Hội Thương', 'Xã Trà Đa']));
  for (const r of before) expect(r).toEqual({ name: expect.stringMatching(/^(Phường|Xã) /), badge: FORMER_UNIT });
  expect(names(before)).not.toContain('Phường Pleiku');
});

test('the admin drills down from both provinces to a ward of today and downloads the coverage workbook and the PDF report', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText('Tất cả đơn vị được giao');
  await expect(page.getByTestId('coverage-row')).toHaveCount(2);
  expect(await coverageRows(page)).toEqual([
    { name: 'Tỉnh Gia Lai', badge: '' },
    { name: 'Tỉnh Tây Ninh', badge: '' },
  ]);
  await expect(page.getByTestId('trend-chart')).toBeVisible();
  await row(page, 'Tỉnh Gia Lai').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText(/^\s*Tất cả đơn vị được giao\s*›\s*Tỉnh Gia Lai\s*$/);
  await row(page, 'Phường Pleiku').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText(/^\s*Tất cả đơn vị được giao\s*›\s*Tỉnh Gia Lai\s*›\s*Phường Pleiku\s*$/);
  await expect(page.getByTestId('dashboard-summary')).toContainText('Phường Pleiku:');
  await expect(page.getByTestId('untrained-row').first()).toBeVisible();
  await expect(page.getByTestId('untrained-row').first().locator('td:nth-child(2)')).toHaveText(/^\s*(Phường Pleiku|Tổ công nghệ số cộng đồng .+)\s*$/);

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-coverage-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toMatch(/^bao-phu-\d{4}\.xlsx$/);
  const xlsxBytes = readFileSync((await xlsx.path()) as string);
  expect(xlsxBytes.subarray(0, 2).toString()).toBe('PK');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-coverage-csv').click()]);
  const csvText = readFileSync((await csv.path()) as string, 'utf8');
  expect(csvText).toMatch(/\nGL-X018,Phường Pleiku,/);
  expect(csvText).not.toContain('Thành phố Pleiku');
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-summary-pdf').click()]);
  const pdfBytes = readFileSync((await pdf.path()) as string);
  expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
  await expect(page.getByTestId('dashboard-error')).toHaveCount(0);

  // Back up the breadcrumbs to the province: its communes and departments of today, no district.
  await page.getByTestId('dashboard-crumbs').getByRole('link', { name: 'Tỉnh Gia Lai' }).click();
  await expect(row(page, 'Phường Quy Nhơn')).toBeVisible();
  const communes = await coverageRows(page);
  expect(names(communes)).toEqual(expect.arrayContaining(['Phường Pleiku', 'Phường Quy Nhơn', 'Xã Ia Grai', 'Sở Nội vụ']));
  for (const r of communes) {
    expect(r.name).not.toMatch(DISTRICT);
    expect(r.badge).toBe('');
  }
});

test('a past year answers in its own structure: 2024 shows the former provinces and their districts, 2026 the communes of today', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText('Tất cả đơn vị được giao');
  await chooseYear(page, 2024);
  await row(page, 'Tỉnh Gia Lai').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText(/^\s*Tất cả đơn vị được giao\s*›\s*Tỉnh Gia Lai\s*$/);

  // The new Gia Lai in 2024: the two former provinces it was formed from, as former units.
  await expect(page.getByTestId('coverage-row')).toHaveCount(2);
  expect((await coverageRows(page)).sort((a, b) => a.name.localeCompare(b.name, 'vi'))).toEqual([
    { name: 'Tỉnh Bình Định', badge: FORMER_UNIT },
    { name: 'Tỉnh Gia Lai', badge: FORMER_UNIT },
  ]);
  await expect(page.getByTestId('former-unit')).toHaveCount(2);
  await expect(page.getByTestId('dashboard-summary')).toContainText('Tỉnh Gia Lai:');

  // The former Gia Lai: its districts (Thành phố Pleiku…) and departments of the time; no commune of today, nothing of Bình Định.
  await row(page, 'Tỉnh Gia Lai').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText(/^\s*Tất cả đơn vị được giao\s*›\s*Tỉnh Gia Lai\s*›\s*Tỉnh Gia Lai\s*$/);
  await expect(row(page, 'Thành phố Pleiku')).toBeVisible();
  const former = await coverageRows(page);
  expect(names(former)).toEqual(expect.arrayContaining(['Thành phố Pleiku', 'Thị xã An Khê', 'Huyện Chư Păh', 'Sở Thông tin và Truyền thông']));
  expect(names(former)).not.toContain('Phường Pleiku');
  for (const r of former) {
    expect(r.name).not.toMatch(/^(Phường|Xã) |Quy Nhơn|Bình Định/);
    expect(r.badge).toBe(MERGED); // all of it closed on 30/06/2025
  }

  // The former district: its wards and communes of 2024.
  await row(page, 'Thành phố Pleiku').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText(/Tỉnh Gia Lai\s*›\s*Tỉnh Gia Lai\s*›\s*Thành phố Pleiku\s*$/);
  await expect(row(page, 'Phường Hội Thương')).toBeVisible();
  expect(names(await coverageRows(page))).toEqual(expect.arrayContaining(['Phường Hội Thương', 'Xã Trà Đa', 'Phường Hoa Lư']));
  await expect(page.getByTestId('untrained-row').first()).toBeVisible();
  await expect(page.getByTestId('dashboard-error')).toHaveCount(0);

  // Back to the new province, then 2026: the communes and departments of today, no district, no former unit.
  await page.getByTestId('dashboard-crumbs').getByRole('link', { name: 'Tỉnh Gia Lai' }).first().click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText(/^\s*Tất cả đơn vị được giao\s*›\s*Tỉnh Gia Lai\s*$/);
  await expect(page.getByTestId('coverage-row')).toHaveCount(2);
  await chooseYear(page, 2026);
  await expect(row(page, 'Phường Pleiku')).toBeVisible();
  const today = await coverageRows(page);
  expect(names(today)).toEqual(expect.arrayContaining(['Phường Pleiku', 'Phường Quy Nhơn', 'Xã Ia Grai', 'Sở Khoa học và Công nghệ']));
  for (const r of today) {
    expect(r.name).not.toMatch(DISTRICT);
    expect(r.name).not.toMatch(/^Tỉnh /);
    expect(r.badge).toBe('');
  }
  expect(names(today)).not.toContain('Sở Thông tin và Truyền thông');
  await expect(page.getByTestId('former-unit')).toHaveCount(0);
});

test('the admin of Tây Ninh sees Tây Ninh only, today and in 2024', async ({ page }) => {
  await signIn(page, 'admin_tn');
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText('Tỉnh Tây Ninh');
  await expect(page.getByTestId('dashboard-crumbs').getByRole('link')).toHaveCount(0);
  await expect(row(page, 'Phường Tân An')).toBeVisible();
  for (const r of await coverageRows(page)) {
    expect(r.name).not.toMatch(/Gia Lai|Pleiku|Quy Nhơn|Bình Định/);
    expect(r.name).not.toMatch(DISTRICT);
  }
  await expect(page.getByTestId('dashboard-requirements')).toBeVisible();

  await chooseYear(page, 2024);
  await expect(page.getByTestId('coverage-row')).toHaveCount(2);
  expect((await coverageRows(page)).sort((a, b) => a.name.localeCompare(b.name, 'vi'))).toEqual([
    { name: 'Tỉnh Long An', badge: FORMER_UNIT },
    { name: 'Tỉnh Tây Ninh', badge: FORMER_UNIT },
  ]);
});

test('the organiser of Gia Lai sees Gia Lai only: no Tây Ninh, today or in 2024', async ({ page }) => {
  await signIn(page, 'organiser');
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText('Tỉnh Gia Lai');
  await expect(row(page, 'Phường Pleiku')).toBeVisible();
  for (const r of await coverageRows(page)) expect(r.name).not.toMatch(/Tây Ninh|Long An|Tân An/);
  await expect(page.getByTestId('dashboard-requirements')).toBeVisible();

  await chooseYear(page, 2024);
  await expect(page.getByTestId('coverage-row')).toHaveCount(2);
  expect(names(await coverageRows(page)).sort((a, b) => a.localeCompare(b, 'vi'))).toEqual(['Tỉnh Bình Định', 'Tỉnh Gia Lai']);
});
