import { expect, test } from '@playwright/test';
import { Workbook } from 'exceljs';
import { signIn } from './support/sign-in';

const HEADERS = ['Thao tác', 'Mã đơn vị', 'Mã đơn vị đích', 'Tên đơn vị mới', 'Loại đơn vị', 'Ngày hiệu lực', 'Phân bổ (chia tách)'];

async function plan(rows: string[][]): Promise<Buffer> {
  const wb = new Workbook();
  const ws = wb.addWorksheet('Kế hoạch sắp xếp');
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const today = () => new Date().toLocaleDateString('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }); // dd/mm/yyyy

test('an admin checks a reorganisation plan, sees the refused rows in Vietnamese, then applies a valid one', async ({ page }) => {
  await signIn(page, 'admin_tn');
  await page.goto('/admin/reorganisation');
  // The 2025 reform of Tây Ninh was applied through this tool when the demo was loaded.
  await expect(page.getByTestId('reorg-history-row').filter({ hasText: 'Tỉnh Tây Ninh' })).toHaveCount(1);

  // A bad plan: an unknown code and a date before the ward existed.
  await page.getByTestId('reorg-file').setInputFiles({
    name: 'ke-hoach-sai.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await plan([
      ['sáp nhập vào', 'TN-X999', 'TN-X001', '', '', today(), ''],
      ['sáp nhập vào', 'TN-X002', 'TN-X001', '', '', '01/01/2020', ''],
    ]),
  });
  await page.getByTestId('reorg-check').click();
  const issues = page.getByTestId('reorg-issue');
  await expect(issues).toHaveCount(2);
  await expect(issues.nth(0)).toContainText('Không tìm thấy đơn vị có mã "TN-X999"');
  await expect(issues.nth(1)).toContainText('trước ngày đơn vị "TN-X002" được thành lập (01/07/2025)');
  await expect(page.getByTestId('reorg-apply')).toHaveCount(0);

  // A valid plan: a new community digital team under Phường Long An.
  await page.getByTestId('reorg-restart').click();
  await page.getByTestId('reorg-name').fill('Thành lập tổ công nghệ số (kiểm thử)');
  await page.getByTestId('reorg-file').setInputFiles({
    name: 'ke-hoach.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await plan([['tạo mới', 'TN-X001-TCNS-E2E', 'TN-X001', 'Tổ công nghệ số cộng đồng khu phố Kiểm Thử', 'tổ công nghệ số cộng đồng', today(), '']]),
  });
  await page.getByTestId('reorg-check').click();
  await expect(page.getByTestId('reorg-total-created')).toHaveText('1');
  await expect(page.getByTestId('reorg-change')).toContainText('Tổ công nghệ số cộng đồng khu phố Kiểm Thử');
  await page.getByTestId('reorg-confirm').click();
  await page.getByTestId('reorg-apply').click();
  await expect(page.getByTestId('reorg-applied')).toBeVisible();
  await expect(page.getByTestId('reorg-history-row').filter({ hasText: 'Thành lập tổ công nghệ số (kiểm thử)' })).toHaveCount(1);

  // Applying the same plan again is refused: the code is taken now (plans only go forward).
  await page.getByTestId('reorg-restart').click();
  await page.getByTestId('reorg-file').setInputFiles({
    name: 'ke-hoach.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await plan([['tạo mới', 'TN-X001-TCNS-E2E', 'TN-X001', 'Tổ công nghệ số cộng đồng khu phố Kiểm Thử', 'tổ công nghệ số cộng đồng', today(), '']]),
  });
  await page.getByTestId('reorg-check').click();
  await expect(page.getByTestId('reorg-issue')).toContainText('Mã "TN-X001-TCNS-E2E" đã có trong cây tổ chức này.');
});
