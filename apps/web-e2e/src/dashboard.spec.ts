import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signIn } from './support/sign-in';

test('the district manager sees only their district: Pleiku and its communes, no way up to the province', async ({ page }) => {
  await signIn(page, 'manager');
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText('Thành phố Pleiku');
  await expect(page.getByTestId('dashboard-figures')).toBeVisible();
  await expect(page.getByTestId('figure-training')).toHaveText(/%$/);
  const rows = page.getByTestId('coverage-row');
  await expect(rows.first()).toBeVisible();
  // Every row is a unit of Pleiku (its wards and communes), none of another district or the province.
  for (const name of await rows.locator('td:first-child').allTextContents()) expect(name).not.toMatch(/Tỉnh|Huyện|Thị xã/);
  await expect(page.getByTestId('dashboard-summary')).toContainText('Thành phố Pleiku');
  await expect(page.getByTestId('untrained-table')).toBeVisible();
  await expect(page.getByTestId('trend-chart')).toBeVisible();
  // The requirements page is for admins and organisers.
  await expect(page.getByTestId('dashboard-requirements')).toHaveCount(0);
});

test('the admin drills down from both provinces to a district and downloads the coverage workbook and the PDF report', async ({ page }) => {
  await signIn(page, 'admin');
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText('Tất cả đơn vị được giao');
  const provinces = page.getByTestId('coverage-row');
  await expect(provinces).toHaveCount(2);
  await expect(page.getByTestId('trend-chart')).toBeVisible();
  await provinces.filter({ hasText: 'Tỉnh Gia Lai' }).click();
  await expect(page.getByTestId('dashboard-crumbs')).toContainText('Tỉnh Gia Lai');
  await page.getByTestId('coverage-row').filter({ hasText: 'Thành phố Pleiku' }).click();
  await expect(page.getByTestId('dashboard-crumbs')).toHaveText(/Tất cả đơn vị được giao\s*›\s*Tỉnh Gia Lai\s*›\s*Thành phố Pleiku/);
  await expect(page.getByTestId('untrained-row').first()).toBeVisible();

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-coverage-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toMatch(/^bao-phu-\d{4}\.xlsx$/);
  const xlsxBytes = readFileSync((await xlsx.path()) as string);
  expect(xlsxBytes.subarray(0, 2).toString()).toBe('PK');
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-summary-pdf').click()]);
  const pdfBytes = readFileSync((await pdf.path()) as string);
  expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');
  await expect(page.getByTestId('dashboard-error')).toHaveCount(0);

  // Back up the breadcrumbs to the province.
  await page.getByTestId('dashboard-crumbs').getByText('Tỉnh Gia Lai').click();
  await expect(page.getByTestId('coverage-row').filter({ hasText: 'Thành phố Pleiku' })).toBeVisible();
});
