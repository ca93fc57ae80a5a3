import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';
import { signIn } from './support/sign-in';

/** GET on the api as the admin of both provinces (to look up ids the test then uses as another role). */
async function asAdmin<T>(request: APIRequestContext, path: string, params: Record<string, string> = {}): Promise<T> {
  const login = await request.post('/api/auth/login', { data: { username: 'admin', password: DEMO_PASSWORD } });
  expect(login.ok()).toBe(true);
  const headers = { Authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
  const res = await request.get(path, { headers, params });
  expect(res.ok(), `${path} ${res.status()}`).toBe(true);
  return (await res.json()) as T;
}

/** The id of a unit of today's map (a root, or a child of `parentId`). */
async function unitId(request: APIRequestContext, name: string, parentId?: string): Promise<string> {
  const units = await asAdmin<Array<{ id: string; name: string }>>(request, '/api/org-units', parentId ? { parentId } : {});
  const unit = units.find((u) => u.name === name);
  expect(unit, `${name} among ${units.map((u) => u.name).join(', ')}`).toBeTruthy();
  return (unit as { id: string }).id;
}

/** The id of the former (closed) district Thành phố Pleiku: a child of the former Gia Lai, which the new one was formed from. */
async function formerPleikuDistrict(request: APIRequestContext, province: string): Promise<string> {
  const detail = await asAdmin<{ predecessors: Array<{ unitId: string; code: string }> }>(request, `/api/org-units/${province}`);
  const formerGiaLai = detail.predecessors.find((p) => p.code === 'GL.CU');
  expect(formerGiaLai, JSON.stringify(detail.predecessors)).toBeTruthy();
  const district = await unitId(request, 'Thành phố Pleiku', (formerGiaLai as { unitId: string }).unitId);
  return district;
}

type StaffHit = { staffCode: string; fullName: string; orgUnitName: string };

/** Types a staff search and returns the api's answer to exactly that query (page 1), once the table shows it. */
async function searchStaff(page: Page, q: string): Promise<{ total: number; items: StaffHit[] }> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/staff' && new URL(r.url()).searchParams.get('q') === q),
    page.getByTestId('staff-search').fill(q),
  ]);
  expect(res.ok()).toBe(true);
  const body = (await res.json()) as { total: number; items: StaffHit[] };
  await expect(page.getByTestId('staff-total')).toHaveText(new RegExp(`·\\s*${body.total.toLocaleString('vi-VN').replace(/\./g, '\\.')} người$`));
  await expect(page.getByTestId('staff-row')).toHaveCount(body.items.length);
  return body;
}

/** Types a unit search and returns the api's answer to exactly that query, once the list shows it. */
async function searchUnits(page: Page, q: string): Promise<string[]> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/org-units' && new URL(r.url()).searchParams.get('q') === q),
    page.getByTestId('org-search').fill(q),
  ]);
  expect(res.ok()).toBe(true);
  const names = ((await res.json()) as Array<{ name: string }>).map((u) => u.name);
  await expect(page.getByTestId('org-search-result')).toHaveCount(names.length);
  if (names.length === 0) await expect(page.getByText('Không có kết quả.')).toBeVisible();
  return names;
}

/** The names of the tree's nodes as shown (name, kind badge…). */
async function treeNames(page: Page): Promise<string[]> {
  return page.getByTestId('tree-node').locator('a').allTextContents();
}

test.describe('each demo role sees only what it may see', () => {
  test('a wrong password shows the Vietnamese error and stays on the sign-in page', async ({ page }) => {
    await signIn(page, 'admin', { password: 'not-the-password', expectShell: false });
    await expect(page.getByTestId('login-error')).toHaveText('Tên đăng nhập hoặc mật khẩu không đúng.');
    await expect(page).toHaveURL(/\/login$/);
  });

  test('admin browses both provinces: communes directly under the new province, no district; a ward shows what it was formed from', async ({ page, request }) => {
    const formerDistrict = await formerPleikuDistrict(request, await unitId(request, 'Tỉnh Gia Lai'));
    await signIn(page, 'admin');
    await expect(page).toHaveURL(/\/org$/);
    await expect(page.getByTestId('current-user')).toHaveText('Quản trị hệ thống');
    // Exactly the two provinces of today's map; the former ones (closed 30/06/2025) are history, not roots.
    await expect(page.getByTestId('tree-node')).toHaveCount(2);
    expect(await treeNames(page)).toEqual(['Tỉnh Gia Lai', 'Tỉnh Tây Ninh']);
    await expect(page.getByTestId('nav-audit')).toBeVisible();

    const gl = page.getByTestId('tree-node').filter({ hasText: 'Tỉnh Gia Lai' });
    await gl.getByTestId('tree-toggle').click();
    await expect(page.getByTestId('tree-node').filter({ hasText: 'Phường Quy Nhơn Bắc' })).toBeVisible();
    const children = (await treeNames(page)).filter((n) => n !== 'Tỉnh Gia Lai' && n !== 'Tỉnh Tây Ninh');
    // Departments, wards and communes of both former provinces, directly under the new one; not one district.
    expect(children).toEqual(expect.arrayContaining(['Sở Khoa học và Công nghệ', 'Sở Nội vụ', 'Sở Tài chính', 'Phường Pleiku', 'Phường Quy Nhơn', 'Xã Ia Grai']));
    for (const n of children) expect(n).not.toMatch(/^(Huyện|Thị xã|Thành phố|Sở Thông tin và Truyền thông)/);
    // Every node under Gia Lai is open (no "closed" badge).
    await expect(page.getByTestId('tree-node').filter({ hasText: 'Đã giải thể / sáp nhập' })).toHaveCount(0);

    await page.getByRole('link', { name: 'Phường Pleiku', exact: true }).click();
    await expect(page.getByTestId('unit-name')).toHaveText('Phường Pleiku');
    await expect(page.getByText('GL-X018', { exact: true })).toBeVisible();
    await expect(page.getByTestId('unit-valid-to')).toHaveCount(0);
    // Its history: formed on 01/07/2025 from former wards of Thành phố Pleiku, among them Phường Hội Thương.
    const formedFrom = page.getByTestId('unit-predecessors').getByTestId('lineage-link');
    await expect(formedFrom.filter({ hasText: 'Phường Hội Thương' })).toContainText('GL.CU-PKU-');
    await expect(formedFrom.filter({ hasText: 'Xã Trà Đa' })).toBeVisible();
    await expect(page.getByTestId('staff-row').filter({ hasText: 'Nguyễn Thị Hương' })).toBeVisible();
    await expect(page.getByTestId('staff-row').filter({ hasText: 'Lê Thị Linh' })).toBeVisible();

    // The former district is history: readable by the admin of what it became, closed on 30/06/2025.
    await page.goto(`/org/${formerDistrict}`);
    await expect(page.getByTestId('unit-name')).toHaveText('Thành phố Pleiku');
    await expect(page.getByTestId('unit-valid-to')).toHaveText('30/06/2025');

    await page.getByTestId('nav-audit').click();
    await expect(page.getByTestId('audit-row').first()).toContainText('auth.login');
  });

  test('the unit manager sees only Phường Pleiku and its teams: not the province, another commune or the former district', async ({ page, request }) => {
    const province = await unitId(request, 'Tỉnh Gia Lai');
    const otherCommune = await unitId(request, 'Phường Hội Phú', province);
    const formerDistrict = await formerPleikuDistrict(request, province);
    await signIn(page, 'manager');
    await expect(page.getByTestId('current-user')).toHaveText('Lê Thị Linh');
    await expect(page.getByTestId('nav-audit')).toHaveCount(0);
    // One root, expanded: Phường Pleiku and its community digital teams, nothing else.
    await expect(page.getByTestId('tree-node').first()).toContainText('Phường Pleiku');
    await expect(page.getByTestId('tree-node')).toHaveCount(3);
    const [root, ...teams] = await treeNames(page);
    expect(root).toBe('Phường Pleiku');
    expect(teams).toHaveLength(2);
    for (const t of teams) expect(t).toMatch(/^Tổ công nghệ số cộng đồng /);

    // The ward's own history is readable: the former ward it was formed from, closed on 30/06/2025.
    await page.getByTestId('tree-node').first().getByRole('link', { name: 'Phường Pleiku' }).click();
    await expect(page.getByTestId('unit-name')).toHaveText('Phường Pleiku');
    await page.getByTestId('unit-predecessors').getByRole('link', { name: 'Phường Hội Thương' }).click();
    await expect(page.getByTestId('unit-name')).toHaveText('Phường Hội Thương');
    await expect(page.getByTestId('unit-valid-to')).toHaveText('30/06/2025');
    await expect(page.getByTestId('unit-successors').getByTestId('lineage-link')).toContainText('Phường Pleiku');

    // The province, a neighbouring ward and the former district are out of reach, even by address.
    await page.goto(`/org/${formerDistrict}`);
    await expect(page.getByTestId('unit-error')).toBeVisible();
    await expect(page.getByTestId('unit-name')).toHaveCount(0);
    await page.goto(`/org/${province}`);
    await expect(page.getByTestId('unit-error')).toBeVisible();
    await expect(page.getByTestId('unit-name')).toHaveCount(0);
    await page.goto(`/org/${otherCommune}`);
    await expect(page.getByTestId('unit-error')).toBeVisible();
    await expect(page.getByTestId('unit-name')).toHaveCount(0);
    // Unit search finds only the manager's own units.
    await page.goto('/org');
    expect(await searchUnits(page, 'pleiku')).toEqual(['Phường Pleiku']);
    expect(await searchUnits(page, 'quy nhon')).toEqual([]);

    // Staff search without diacritics; every hit belongs to Phường Pleiku or its teams.
    await page.getByTestId('nav-staff').click();
    const huong = await searchStaff(page, 'nguyen thi huong');
    expect(huong.items.map((p) => [p.fullName, p.orgUnitName])).toEqual([['Nguyễn Thị Hương', 'Phường Pleiku']]);
    await expect(page.getByTestId('staff-row')).toContainText('Nguyễn Thị Hương');
    const tran = await searchStaff(page, 'tran');
    expect(tran.total).toBeGreaterThan(0);
    for (const p of tran.items) {
      expect(p.orgUnitName).toMatch(/^(Phường Pleiku|Tổ công nghệ số cộng đồng .+)$/);
      expect(p.staffCode).toMatch(/^GL-/);
    }
    // Nobody from Tây Ninh (codes TN-, LA-), Bình Định (BD-) or the rest of Gia Lai (the organiser, at Sở Khoa học và Công nghệ).
    for (const q of ['TN-', 'LA-', 'BD-', 'dang ngoc phong']) expect((await searchStaff(page, q)).total).toBe(0);
  });

  test('the admin of Tây Ninh sees Tây Ninh only: no Gia Lai in the tree, the unit search or the staff search', async ({ page, request }) => {
    const gialai = await unitId(request, 'Tỉnh Gia Lai');
    const pleiku = await unitId(request, 'Phường Pleiku', gialai);
    await signIn(page, 'admin_tn');
    await expect(page).toHaveURL(/\/org$/);
    await expect(page.getByTestId('current-user')).toHaveText('Quản trị tỉnh Tây Ninh');
    // One root (expanded): Tây Ninh and its units of today's map.
    await expect(page.getByTestId('tree-node').first()).toContainText('Tỉnh Tây Ninh');
    await expect(page.getByTestId('tree-node').filter({ hasText: 'Phường Tân An' })).toBeVisible();
    const names = await treeNames(page);
    expect(names.filter((n) => n.startsWith('Tỉnh '))).toEqual(['Tỉnh Tây Ninh']);
    for (const n of names) expect(n).not.toMatch(/Gia Lai|Pleiku|Quy Nhơn|Bình Định|^(Huyện|Thị xã|Thành phố) /);

    await page.goto(`/org/${gialai}`);
    await expect(page.getByTestId('unit-error')).toBeVisible();
    await page.goto(`/org/${pleiku}`);
    await expect(page.getByTestId('unit-error')).toBeVisible();
    await expect(page.getByTestId('unit-name')).toHaveCount(0);

    await page.goto('/org');
    expect(await searchUnits(page, 'phuong tan an')).toEqual(['Phường Tân An']);
    expect(await searchUnits(page, 'pleiku')).toEqual([]);
    expect(await searchUnits(page, 'gia lai')).toEqual([]);

    // The same common name exists in both provinces: only the Tây Ninh and Long An people come up.
    await page.getByTestId('nav-staff').click();
    const huong = await searchStaff(page, 'nguyen thi huong');
    expect(huong.total).toBeGreaterThan(0);
    for (const p of huong.items) {
      expect(p.fullName).toContain('Nguyễn Thị Hương');
      expect(p.staffCode).toMatch(/^(TN|LA)-/);
    }
    expect(huong.items.map((p) => p.orgUnitName)).not.toContain('Phường Pleiku');
    // Nobody of Gia Lai: no GL-/BD- codes, not the Gia Lai organiser.
    for (const q of ['GL-', 'BD-', 'dang ngoc phong']) expect((await searchStaff(page, q)).total).toBe(0);
  });

  test('the organiser of Gia Lai sees no Tây Ninh', async ({ page }) => {
    await signIn(page, 'organiser');
    await page.getByTestId('nav-org').click();
    await expect(page.getByTestId('tree-node').first()).toContainText('Tỉnh Gia Lai');
    await expect(page.getByTestId('tree-node').filter({ hasText: 'Phường Pleiku' })).toBeVisible();
    for (const n of await treeNames(page)) expect(n).not.toMatch(/Tây Ninh|Long An/);
    expect(await searchUnits(page, 'phuong pleiku')).toEqual(['Phường Pleiku']);
    expect(await searchUnits(page, 'tan an')).toEqual([]);
    expect(await searchUnits(page, 'tay ninh')).toEqual([]);
    await page.getByTestId('nav-staff').click();
    expect((await searchStaff(page, 'GL-')).total).toBeGreaterThan(0);
    for (const q of ['TN-', 'LA-']) expect((await searchStaff(page, q)).total).toBe(0);
  });

  test('a learner sees only their own profile; staff and tree pages are refused', async ({ page }) => {
    await signIn(page, 'learner');
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByTestId('person-name')).toHaveText('Nguyễn Thị Hương');
    await expect(page.getByTestId('my-grants')).toContainText('Phường Pleiku');
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
