/**
 * Every error code the API can answer with, and its message in each UI language.
 * The API sends `{ statusCode, code, message, details? }`; the web app shows
 * `ERROR_MESSAGES[code][lang]` so every error reads naturally in Vietnamese.
 */
export enum ErrorCode {
  // generic
  ValidationFailed = 'VALIDATION_FAILED',
  NotFound = 'NOT_FOUND',
  Forbidden = 'FORBIDDEN',
  Unauthenticated = 'UNAUTHENTICATED',
  Conflict = 'CONFLICT',
  Internal = 'INTERNAL_ERROR',
  // identity
  InvalidCredentials = 'AUTH_INVALID_CREDENTIALS',
  TooManyAttempts = 'AUTH_TOO_MANY_ATTEMPTS',
  TokenInvalid = 'AUTH_TOKEN_INVALID',
  RefreshTokenInvalid = 'AUTH_REFRESH_TOKEN_INVALID',
  AccountDisabled = 'AUTH_ACCOUNT_DISABLED',
  GrantOutOfScope = 'GRANT_OUT_OF_SCOPE',
  GrantDuplicate = 'GRANT_DUPLICATE',
  UserNotFound = 'USER_NOT_FOUND',
  // organisation
  OrgUnitNotFound = 'ORG_UNIT_NOT_FOUND',
  OrgUnitCodeTaken = 'ORG_UNIT_CODE_TAKEN',
  OrgUnitMoveIntoOwnSubtree = 'ORG_UNIT_MOVE_INTO_OWN_SUBTREE',
  OrgUnitMergeIntoItself = 'ORG_UNIT_MERGE_INTO_ITSELF',
  OrgUnitMergeIntoDescendant = 'ORG_UNIT_MERGE_INTO_DESCENDANT',
  OrgUnitClosed = 'ORG_UNIT_CLOSED',
  OrgUnitRootNeedsAdmin = 'ORG_UNIT_ROOT_NEEDS_ADMIN',
  OrgUnitInvalidPeriod = 'ORG_UNIT_INVALID_PERIOD',
  OrgUnitMoveAcrossTrees = 'ORG_UNIT_MOVE_ACROSS_TREES',
  // people
  PersonNotFound = 'PERSON_NOT_FOUND',
  StaffCodeTaken = 'PERSON_STAFF_CODE_TAKEN',
  EmailTaken = 'PERSON_EMAIL_TAKEN',
  PersonInactive = 'PERSON_INACTIVE',
  // catalog
  CourseNotFound = 'COURSE_NOT_FOUND',
  CourseCodeTaken = 'COURSE_CODE_TAKEN',
  CourseNoDraft = 'COURSE_NO_DRAFT',
  CourseDraftExists = 'COURSE_DRAFT_EXISTS',
  CourseNotPublishable = 'COURSE_NOT_PUBLISHABLE',
  CourseNotAvailable = 'COURSE_NOT_AVAILABLE',
  LessonNotFound = 'LESSON_NOT_FOUND',
  LessonContentInvalid = 'LESSON_CONTENT_INVALID',
  NoPersonRecord = 'NO_PERSON_RECORD',
  FileNotFound = 'FILE_NOT_FOUND',
  FileTooLarge = 'FILE_TOO_LARGE',
  FileTypeNotAllowed = 'FILE_TYPE_NOT_ALLOWED',
  // assessment
  QuestionNotFound = 'QUESTION_NOT_FOUND',
  QuestionInvalid = 'QUESTION_INVALID',
  QuizNotFound = 'QUIZ_NOT_FOUND',
  QuizNotOpen = 'QUIZ_NOT_OPEN',
  QuizClosed = 'QUIZ_CLOSED',
  QuizNoQuestions = 'QUIZ_NO_QUESTIONS',
  AttemptLimitReached = 'ATTEMPT_LIMIT_REACHED',
  AttemptNotFound = 'ATTEMPT_NOT_FOUND',
  AttemptFinished = 'ATTEMPT_FINISHED',
  AttemptSlotNotFound = 'ATTEMPT_SLOT_NOT_FOUND',
  ResponseInvalid = 'RESPONSE_INVALID',
  ReviewNotAvailable = 'REVIEW_NOT_AVAILABLE',
  ImportInvalid = 'IMPORT_INVALID',
  // enrolment
  EnrolmentNotFound = 'ENROLMENT_NOT_FOUND',
  EnrolmentExists = 'ENROLMENT_EXISTS',
  SelfEnrolmentClosed = 'SELF_ENROLMENT_CLOSED',
  PersonOutOfScope = 'PERSON_OUT_OF_SCOPE',
  EnrolmentImportNotFound = 'ENROLMENT_IMPORT_NOT_FOUND',
  EnrolmentImportFileMissing = 'ENROLMENT_IMPORT_FILE_MISSING',
  EnrolmentImportTooLarge = 'ENROLMENT_IMPORT_TOO_LARGE',
  AudienceRuleNotFound = 'AUDIENCE_RULE_NOT_FOUND',
  // certificates
  CertificateNotFound = 'CERTIFICATE_NOT_FOUND',
  CertificateRevoked = 'CERTIFICATE_REVOKED',
  CertificateSuperseded = 'CERTIFICATE_SUPERSEDED',
  VerificationCodeInvalid = 'VERIFICATION_CODE_INVALID',
  TooManyRequests = 'TOO_MANY_REQUESTS',
}

export interface ApiError {
  statusCode: number;
  code: ErrorCode | string;
  message: string;
  details?: Array<{ field: string; message: string }>;
}

export const ERROR_MESSAGES: Record<ErrorCode, { vi: string; en: string }> = {
  [ErrorCode.ValidationFailed]: { vi: 'Dữ liệu gửi lên không hợp lệ.', en: 'The submitted data is invalid.' },
  [ErrorCode.NotFound]: { vi: 'Không tìm thấy.', en: 'Not found.' },
  [ErrorCode.Forbidden]: { vi: 'Bạn không có quyền thực hiện thao tác này.', en: 'You are not allowed to do this.' },
  [ErrorCode.Unauthenticated]: { vi: 'Vui lòng đăng nhập.', en: 'Please sign in.' },
  [ErrorCode.Conflict]: { vi: 'Dữ liệu bị trùng hoặc xung đột.', en: 'The data conflicts with existing data.' },
  [ErrorCode.Internal]: { vi: 'Đã xảy ra lỗi hệ thống. Vui lòng thử lại sau.', en: 'Something went wrong. Please try again later.' },
  [ErrorCode.InvalidCredentials]: {
    vi: 'Tên đăng nhập hoặc mật khẩu không đúng.',
    en: 'Wrong username or password.',
  },
  [ErrorCode.TooManyAttempts]: {
    vi: 'Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút.',
    en: 'Too many failed sign-in attempts. Please try again in a few minutes.',
  },
  [ErrorCode.TokenInvalid]: { vi: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.', en: 'Your session has expired. Please sign in again.' },
  [ErrorCode.RefreshTokenInvalid]: { vi: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.', en: 'Your session has expired. Please sign in again.' },
  [ErrorCode.AccountDisabled]: { vi: 'Tài khoản đã bị khóa.', en: 'This account is disabled.' },
  [ErrorCode.GrantOutOfScope]: { vi: 'Đơn vị nằm ngoài phạm vi quản lý của bạn.', en: 'That unit is outside your scope.' },
  [ErrorCode.GrantDuplicate]: { vi: 'Người dùng đã có vai trò này tại đơn vị này.', en: 'The user already has this role on this unit.' },
  [ErrorCode.UserNotFound]: { vi: 'Không tìm thấy người dùng.', en: 'User not found.' },
  [ErrorCode.OrgUnitNotFound]: { vi: 'Không tìm thấy đơn vị.', en: 'Organisation unit not found.' },
  [ErrorCode.OrgUnitCodeTaken]: { vi: 'Mã đơn vị đã được sử dụng trong cây tổ chức này.', en: 'This unit code is already used in this tree.' },
  [ErrorCode.OrgUnitMoveIntoOwnSubtree]: {
    vi: 'Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.',
    en: 'A unit cannot be moved under itself or one of its descendants.',
  },
  [ErrorCode.OrgUnitMergeIntoItself]: { vi: 'Không thể sáp nhập đơn vị vào chính nó.', en: 'A unit cannot be merged into itself.' },
  [ErrorCode.OrgUnitMergeIntoDescendant]: {
    vi: 'Không thể sáp nhập đơn vị vào đơn vị cấp dưới của nó.',
    en: 'A unit cannot be merged into one of its descendants.',
  },
  [ErrorCode.OrgUnitClosed]: { vi: 'Đơn vị đã giải thể hoặc đã sáp nhập.', en: 'This unit is closed or merged.' },
  [ErrorCode.OrgUnitRootNeedsAdmin]: {
    vi: 'Chỉ quản trị viên được tạo đơn vị cấp cao nhất.',
    en: 'Only an administrator can create a top-level unit.',
  },
  [ErrorCode.OrgUnitInvalidPeriod]: {
    vi: 'Ngày kết thúc hiệu lực phải sau ngày bắt đầu.',
    en: 'The end of the validity period must be after its start.',
  },
  [ErrorCode.OrgUnitMoveAcrossTrees]: {
    vi: 'Không thể chuyển đơn vị sang cây tổ chức của tỉnh khác.',
    en: "A unit cannot be moved into another province's tree.",
  },
  [ErrorCode.PersonNotFound]: { vi: 'Không tìm thấy cán bộ.', en: 'Person not found.' },
  [ErrorCode.StaffCodeTaken]: { vi: 'Mã cán bộ đã tồn tại trong tỉnh.', en: 'This staff code already exists in the province.' },
  [ErrorCode.EmailTaken]: { vi: 'Email đã được sử dụng cho cán bộ khác.', en: 'This email is already used by another person.' },
  [ErrorCode.PersonInactive]: { vi: 'Cán bộ đã ngừng hoạt động.', en: 'This person is deactivated.' },
  [ErrorCode.CourseNotFound]: { vi: 'Không tìm thấy khóa học.', en: 'Course not found.' },
  [ErrorCode.CourseCodeTaken]: { vi: 'Mã khóa học đã được sử dụng.', en: 'This course code is already used.' },
  [ErrorCode.CourseNoDraft]: {
    vi: 'Khóa học đã xuất bản không sửa trực tiếp được. Hãy tạo phiên bản mới để chỉnh sửa.',
    en: 'A published course is not edited in place: create a new version to edit.',
  },
  [ErrorCode.CourseDraftExists]: { vi: 'Khóa học đã có một bản nháp đang soạn.', en: 'This course already has a draft.' },
  [ErrorCode.CourseNotPublishable]: { vi: 'Chưa thể xuất bản khóa học.', en: 'The course cannot be published yet.' },
  [ErrorCode.CourseNotAvailable]: { vi: 'Khóa học chưa mở cho học viên.', en: 'This course is not open to learners.' },
  [ErrorCode.LessonNotFound]: { vi: 'Không tìm thấy bài học.', en: 'Lesson not found.' },
  [ErrorCode.LessonContentInvalid]: { vi: 'Nội dung bài học không hợp lệ.', en: 'The lesson content is invalid.' },
  [ErrorCode.NoPersonRecord]: {
    vi: 'Tài khoản chưa gắn với hồ sơ cán bộ nên không thể học.',
    en: 'This account has no staff record, so it cannot take courses.',
  },
  [ErrorCode.FileNotFound]: { vi: 'Không tìm thấy tệp.', en: 'File not found.' },
  [ErrorCode.FileTooLarge]: { vi: 'Tệp quá lớn.', en: 'The file is too large.' },
  [ErrorCode.FileTypeNotAllowed]: {
    vi: 'Loại tệp không được hỗ trợ (chấp nhận PDF, MP4, WebM, PNG, JPEG).',
    en: 'File type not allowed (PDF, MP4, WebM, PNG, JPEG are accepted).',
  },
  [ErrorCode.QuestionNotFound]: { vi: 'Không tìm thấy câu hỏi.', en: 'Question not found.' },
  [ErrorCode.QuestionInvalid]: { vi: 'Câu hỏi không hợp lệ.', en: 'The question is invalid.' },
  [ErrorCode.QuizNotFound]: { vi: 'Không tìm thấy bài kiểm tra.', en: 'Quiz not found.' },
  [ErrorCode.QuizNotOpen]: { vi: 'Bài kiểm tra chưa mở.', en: 'The quiz is not open yet.' },
  [ErrorCode.QuizClosed]: { vi: 'Bài kiểm tra đã đóng.', en: 'The quiz is closed.' },
  [ErrorCode.QuizNoQuestions]: { vi: 'Bài kiểm tra chưa có câu hỏi.', en: 'The quiz has no questions.' },
  [ErrorCode.AttemptLimitReached]: { vi: 'Bạn đã hết số lần làm bài cho phép.', en: 'You have used all allowed attempts.' },
  [ErrorCode.AttemptNotFound]: { vi: 'Không tìm thấy lượt làm bài.', en: 'Attempt not found.' },
  [ErrorCode.AttemptFinished]: { vi: 'Lượt làm bài đã kết thúc.', en: 'This attempt is finished.' },
  [ErrorCode.AttemptSlotNotFound]: { vi: 'Câu hỏi không thuộc lượt làm bài này.', en: 'That question is not part of this attempt.' },
  [ErrorCode.ResponseInvalid]: { vi: 'Câu trả lời không hợp lệ.', en: 'The answer is invalid.' },
  [ErrorCode.ReviewNotAvailable]: { vi: 'Chưa được xem lại bài làm lúc này.', en: 'Review is not available now.' },
  [ErrorCode.ImportInvalid]: { vi: 'Không đọc được tệp nhập.', en: 'The import file could not be read.' },
  [ErrorCode.EnrolmentNotFound]: { vi: 'Không tìm thấy lượt ghi danh.', en: 'Enrolment not found.' },
  [ErrorCode.EnrolmentExists]: {
    vi: 'Cán bộ này đã được ghi danh vào khoá học trong năm đào tạo này.',
    en: 'This person is already enrolled in this course for this training year.',
  },
  [ErrorCode.SelfEnrolmentClosed]: {
    vi: 'Khoá học này không cho phép tự ghi danh. Vui lòng liên hệ cán bộ tổ chức bồi dưỡng.',
    en: 'This course does not allow self-enrolment. Please contact a training organiser.',
  },
  [ErrorCode.PersonOutOfScope]: { vi: 'Cán bộ này không thuộc đơn vị bạn quản lý.', en: 'This person is outside your scope.' },
  [ErrorCode.EnrolmentImportNotFound]: { vi: 'Không tìm thấy lượt nhập danh sách.', en: 'Import not found.' },
  [ErrorCode.EnrolmentImportFileMissing]: {
    vi: 'Vui lòng chọn tệp CSV hoặc Excel (.xlsx) để nhập.',
    en: 'Please choose a CSV or Excel (.xlsx) file to import.',
  },
  [ErrorCode.EnrolmentImportTooLarge]: {
    vi: 'Tệp quá lớn: tối đa 50 MB và 500.000 dòng. Hãy chia thành nhiều tệp nhỏ hơn.',
    en: 'The file is too large: at most 50 MB and 500,000 rows. Split it into smaller files.',
  },
  [ErrorCode.AudienceRuleNotFound]: { vi: 'Không tìm thấy quy tắc ghi danh.', en: 'Audience rule not found.' },
  [ErrorCode.CertificateNotFound]: { vi: 'Không tìm thấy chứng nhận với mã này.', en: 'No certificate has this code.' },
  [ErrorCode.CertificateRevoked]: { vi: 'Chứng nhận đã bị thu hồi.', en: 'The certificate has been revoked.' },
  [ErrorCode.CertificateSuperseded]: { vi: 'Chứng nhận đã được cấp lại bằng phiên bản mới.', en: 'The certificate was replaced by a corrected version.' },
  [ErrorCode.VerificationCodeInvalid]: {
    vi: 'Mã xác thực không đúng định dạng (12 ký tự chữ và số, ví dụ 7K2M-9QXD-4TRB).',
    en: 'The verification code is malformed (12 letters and digits, e.g. 7K2M-9QXD-4TRB).',
  },
  [ErrorCode.TooManyRequests]: { vi: 'Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút.', en: 'Too many requests. Please try again in a few minutes.' },
};
