import { HttpErrorResponse } from '@angular/common/http';
import { Injectable, computed, signal } from '@angular/core';
import { ApiError, ERROR_MESSAGES, ErrorCode, NetworkCategory, OrgUnitKind, Role } from '@dxtrain/shared/contracts';

export type Lang = 'vi' | 'en';

const VI = {
  appName: 'dxtrain',
  tagline: 'Bồi dưỡng chuyển đổi số',
  signIn: 'Đăng nhập',
  signOut: 'Đăng xuất',
  username: 'Tên đăng nhập',
  password: 'Mật khẩu',
  required: 'Vui lòng nhập thông tin này.',
  navOrg: 'Cơ cấu tổ chức',
  navStaff: 'Cán bộ',
  navAudit: 'Nhật ký hệ thống',
  navMe: 'Hồ sơ của tôi',
  navCatalogue: 'Khoá học',
  navMyLearning: 'Học tập của tôi',
  navMyCertificates: 'Chứng nhận của tôi',
  navBulkVerify: 'Xác thực chứng nhận',
  navCertificateTemplates: 'Mẫu chứng nhận',
  navAuthoring: 'Quản lý khoá học',
  navEnrolment: 'Ghi danh',
  noAccess: 'Bạn không có quyền truy cập trang này.',
  search: 'Tìm kiếm',
  searchUnits: 'Tìm đơn vị theo tên hoặc mã',
  searchStaff: 'Tìm theo tên, mã cán bộ, email',
  category: 'Nhóm mạng lưới',
  allCategories: 'Tất cả',
  status: 'Trạng thái',
  active: 'Đang hoạt động',
  inactive: 'Ngừng hoạt động',
  all: 'Tất cả',
  fullName: 'Họ và tên',
  staffCode: 'Mã cán bộ',
  unit: 'Đơn vị',
  position: 'Vị trí việc làm',
  email: 'Email',
  phone: 'Điện thoại',
  focalPoint: 'Đầu mối CĐS',
  account: 'Có tài khoản',
  hasFocal: 'Có đầu mối chuyển đổi số',
  noFocal: 'Chưa có đầu mối chuyển đổi số',
  subUnits: 'Đơn vị trực thuộc',
  staff: 'Cán bộ',
  staffCount: 'Số cán bộ (toàn bộ đơn vị trực thuộc)',
  code: 'Mã',
  kind: 'Loại đơn vị',
  validFrom: 'Hiệu lực từ',
  mergedInto: 'Đã sáp nhập vào',
  closed: 'Đã giải thể / sáp nhập',
  previous: 'Trang trước',
  next: 'Trang sau',
  pageOf: 'Trang {page} / {pages} · {total} người',
  noResults: 'Không có kết quả.',
  loading: 'Đang tải…',
  roles: 'Vai trò',
  time: 'Thời gian',
  actor: 'Người thực hiện',
  action: 'Thao tác',
  object: 'Đối tượng',
  details: 'Chi tiết',
  language: 'English',
  noPerson: 'Tài khoản này chưa gắn với hồ sơ cán bộ.',
  deactivate: 'Ngừng hoạt động',
  reactivate: 'Kích hoạt lại',
  expand: 'Mở rộng',
};
type Key = keyof typeof VI;

const EN: Record<Key, string> = {
  appName: 'dxtrain',
  tagline: 'Digital transformation training',
  signIn: 'Sign in',
  signOut: 'Sign out',
  username: 'Username',
  password: 'Password',
  required: 'Please fill this in.',
  navOrg: 'Organisation',
  navStaff: 'Staff',
  navAudit: 'Audit log',
  navMe: 'My profile',
  navCatalogue: 'Courses',
  navMyLearning: 'My learning',
  navMyCertificates: 'My certificates',
  navBulkVerify: 'Verify certificates',
  navCertificateTemplates: 'Certificate templates',
  navAuthoring: 'Manage courses',
  navEnrolment: 'Enrolment',
  noAccess: 'You do not have access to this page.',
  search: 'Search',
  searchUnits: 'Find a unit by name or code',
  searchStaff: 'Search by name, staff code, email',
  category: 'Network category',
  allCategories: 'All',
  status: 'Status',
  active: 'Active',
  inactive: 'Inactive',
  all: 'All',
  fullName: 'Full name',
  staffCode: 'Staff code',
  unit: 'Unit',
  position: 'Job position',
  email: 'Email',
  phone: 'Phone',
  focalPoint: 'DX focal point',
  account: 'Has account',
  hasFocal: 'Has a DX focal point',
  noFocal: 'No DX focal point yet',
  subUnits: 'Sub-units',
  staff: 'Staff',
  staffCount: 'Staff (whole subtree)',
  code: 'Code',
  kind: 'Unit kind',
  validFrom: 'Valid from',
  mergedInto: 'Merged into',
  closed: 'Closed / merged',
  previous: 'Previous',
  next: 'Next',
  pageOf: 'Page {page} / {pages} · {total} people',
  noResults: 'No results.',
  loading: 'Loading…',
  roles: 'Roles',
  time: 'Time',
  actor: 'Actor',
  action: 'Action',
  object: 'Object',
  details: 'Details',
  language: 'Tiếng Việt',
  noPerson: 'This account has no staff record.',
  deactivate: 'Deactivate',
  reactivate: 'Reactivate',
  expand: 'Expand',
};

export const DICTIONARIES: Record<Lang, Record<Key, string>> = { vi: VI, en: EN };

const ROLE_LABELS: Record<Role, [string, string]> = {
  [Role.Superadmin]: ['Quản trị toàn hệ thống', 'Deployment administrator'],
  [Role.Admin]: ['Quản trị hệ thống', 'Administrator'],
  [Role.Organiser]: ['Cán bộ tổ chức bồi dưỡng', 'Training organiser'],
  [Role.UnitManager]: ['Lãnh đạo / đầu mối đơn vị', 'Unit manager'],
  [Role.Hr]: ['Cán bộ tổ chức – nhân sự', 'HR'],
  [Role.Learner]: ['Học viên', 'Learner'],
};
const KIND_LABELS: Record<OrgUnitKind, [string, string]> = {
  [OrgUnitKind.Province]: ['Tỉnh', 'Province'],
  [OrgUnitKind.Department]: ['Sở, ban, ngành', 'Department'],
  [OrgUnitKind.PublicServiceUnit]: ['Đơn vị sự nghiệp', 'Public service unit'],
  [OrgUnitKind.District]: ['Huyện, thị xã, thành phố', 'District-level unit'],
  [OrgUnitKind.Commune]: ['Xã, phường, thị trấn', 'Commune-level unit'],
  [OrgUnitKind.Enterprise]: ['Doanh nghiệp', 'Enterprise'],
  [OrgUnitKind.CommunityDigitalTeam]: ['Tổ công nghệ số cộng đồng', 'Community digital technology team'],
  [OrgUnitKind.Other]: ['Khác', 'Other'],
};
const CATEGORY_LABELS: Record<NetworkCategory, [string, string]> = {
  [NetworkCategory.ProvincialDxStaff]: ['Cán bộ chuyên trách CĐS cấp tỉnh', 'Provincial DX staff'],
  [NetworkCategory.UnitFocalPoint]: ['Đầu mối CĐS của đơn vị', 'Unit DX focal point'],
  [NetworkCategory.CommuneOfficial]: ['Công chức cấp xã tham gia mạng lưới', 'Commune official in the network'],
  [NetworkCategory.CommuneItOfficer]: ['Người hoạt động không chuyên trách CNTT cấp xã', 'Part-time commune IT officer'],
  [NetworkCategory.CommunityDigitalTeam]: ['Thành viên Tổ công nghệ số cộng đồng', 'Community digital team member'],
  [NetworkCategory.EnterpriseStaff]: ['Nhân sự doanh nghiệp', 'Enterprise staff'],
  [NetworkCategory.CyberIncidentResponse]: ['Thành viên Đội ứng cứu sự cố ATTT mạng', 'Cyber incident response team member'],
};

/**
 * The api (or what stands in front of it) cannot serve now: 503 SERVICE_UNAVAILABLE (PostgreSQL or Redis
 * down), a gateway's 502/504, or no answer at all (status 0). The session stays: this is not a sign-out.
 */
export function isServiceUnavailable(err: unknown): boolean {
  if (!(err instanceof HttpErrorResponse)) return false;
  return err.status === 0 || err.status === 502 || err.status === 503 || err.status === 504;
}

/** Runtime language switch (Vietnamese first), persisted in localStorage. */
@Injectable({ providedIn: 'root' })
export class I18n {
  readonly lang = signal<Lang>((typeof localStorage !== 'undefined' && (localStorage.getItem('dxtrain.lang') as Lang)) || 'vi');
  readonly locale = computed(() => (this.lang() === 'vi' ? 'vi-VN' : 'en-GB'));
  private readonly index = computed(() => (this.lang() === 'vi' ? 0 : 1));

  t(key: Key, params: Record<string, string | number> = {}): string {
    return DICTIONARIES[this.lang()][key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  }

  toggle(): void {
    const next: Lang = this.lang() === 'vi' ? 'en' : 'vi';
    this.lang.set(next);
    localStorage.setItem('dxtrain.lang', next);
    document.documentElement.lang = next;
  }

  /** A feature's own dictionary in the current language: features keep their strings beside their components. */
  pick<T>(dict: { vi: T; en: T }): T {
    return dict[this.lang()];
  }

  role(r: Role): string {
    return ROLE_LABELS[r][this.index()];
  }
  kind(k: OrgUnitKind): string {
    return KIND_LABELS[k][this.index()];
  }
  category(c: NetworkCategory | null): string {
    return c ? CATEGORY_LABELS[c][this.index()] : '—';
  }
  categories(): NetworkCategory[] {
    return Object.values(NetworkCategory);
  }

  /** The user-facing message of an API error, in the current language. */
  error(err: unknown): string {
    const body = (err as { error?: ApiError })?.error;
    const known = body?.code ? ERROR_MESSAGES[body.code as ErrorCode] : undefined;
    if (known) return known[this.lang()];
    // No answer from the api (network, a proxy's 502/504 page while it restarts): an outage, not a bug.
    if (isServiceUnavailable(err)) return ERROR_MESSAGES[ErrorCode.ServiceUnavailable][this.lang()];
    if (body?.message) return body.message;
    return ERROR_MESSAGES[ErrorCode.Internal][this.lang()];
  }

  date(value: string | null): string {
    return value ? new Date(value).toLocaleString(this.locale(), { timeZone: 'Asia/Ho_Chi_Minh' }) : '—';
  }
  day(value: string | null): string {
    return value ? new Date(value + 'T00:00:00').toLocaleDateString(this.locale()) : '—';
  }
  number(value: number): string {
    return value.toLocaleString(this.locale());
  }
}
