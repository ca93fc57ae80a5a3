import { expect, Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../../playwright.config';

/** Signs in through the real sign-in page; waits for the shell unless the sign-in is expected to fail. */
export async function signIn(page: Page, username: string, opts: { password?: string; expectShell?: boolean } = {}): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(opts.password ?? DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  if (opts.expectShell !== false) await expect(page.getByTestId('sign-out')).toBeVisible();
}
