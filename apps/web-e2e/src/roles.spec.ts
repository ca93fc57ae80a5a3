import { expect, test } from '@playwright/test';
import { signIn } from './support/sign-in';

test.describe('each demo role sees only what it may see', () => {
  test('a wrong password shows the Vietnamese error and stays on the sign-in page', async ({ page }) => {
    await signIn(page, 'admin', { password: 'not-the-password', expectShell: false });
    await expect(page.getByTestId('login-error')).toHaveText('Tên đăng nhập hoặc mật khẩu không đúng.');
    await expect(page).toHaveURL(/\/login$/);
  });

  test('admin browses both provinces, opens a district and sees the audit log', async ({ page }) => {
    await signIn(page, 'admin');
    await expect(page).toHaveURL(/\/org$/);
    await expect(page.getByTestId('current-user')).toHaveText('Quản trị hệ thống');
    await expect(page.getByTestId('tree-node').filter({ hasText: 'Tỉnh Gia Lai' })).toBeVisible();
    await expect(page.getByTestId('tree-node').filter({ hasText: 'Tỉnh Tây Ninh' })).toBeVisible();
    await expect(page.getByTestId('nav-audit')).toBeVisible();
    await page.getByTestId('tree-node').filter({ hasText: 'Tỉnh Gia Lai' }).getByTestId('tree-toggle').click();
    await page.getByRole('link', { name: 'Thành phố Pleiku' }).click();
    await expect(page.getByTestId('unit-name')).toHaveText('Thành phố Pleiku');
    await expect(page.getByTestId('staff-row').first()).toBeVisible();
    await page.getByTestId('nav-audit').click();
    await expect(page.getByTestId('audit-row').first()).toContainText('auth.login');
  });

  test('the district manager sees only Pleiku, and searches staff without diacritics', async ({ page }) => {
    await signIn(page, 'manager');
    await expect(page.getByTestId('tree-node').first()).toContainText('Thành phố Pleiku');
    await expect(page.getByTestId('tree-node').filter({ hasText: 'Tỉnh Gia Lai' })).toHaveCount(0);
    await expect(page.getByTestId('nav-audit')).toHaveCount(0);
    await page.getByTestId('nav-staff').click();
    await page.getByTestId('staff-search').fill('nguyen thi huong');
    await expect(page.getByTestId('staff-row').filter({ hasText: 'Nguyễn Thị Hương' }).first()).toBeVisible();
    // Every row belongs to Pleiku's subtree: nobody from Tây Ninh or other districts.
    await page.getByTestId('staff-search').fill('TN-');
    await expect(page.getByTestId('staff-total')).toContainText('0 người');
  });

  test('a learner sees only their own profile; staff and tree pages are refused', async ({ page }) => {
    await signIn(page, 'learner');
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByTestId('person-name')).toHaveText('Nguyễn Thị Hương');
    await expect(page.getByTestId('nav-org')).toHaveCount(0);
    await expect(page.getByTestId('nav-staff')).toHaveCount(0);
    await page.goto('/staff');
    await expect(page.getByTestId('no-access')).toBeVisible();
  });

  test('the language switch turns the interface to English', async ({ page }) => {
    await signIn(page, 'hr');
    await expect(page.getByTestId('nav-staff')).toContainText('Cán bộ');
    await page.getByTestId('lang-switch').click();
    await expect(page.getByTestId('nav-staff')).toContainText('Staff');
    await page.getByTestId('lang-switch').click();
  });
});
