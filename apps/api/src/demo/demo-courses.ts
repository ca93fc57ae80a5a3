import { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AttemptsService, QuestionsService, QuizzesService } from '@dxtrain/server/assessment';
import { CatalogService, ProgressService } from '@dxtrain/server/catalog';
import { AuthService } from '@dxtrain/server/identity';
import { Actor } from '@dxtrain/server/platform';
import { AttemptView, LessonKind, NetworkCategory, QuestionDefinition, QuestionType, Role } from '@dxtrain/shared/contracts';

/**
 * Demo courses, built through the domain services exactly as an organiser would build them (so
 * the demo exercises the real rules), then taken by demo learners: the `learner` account
 * completes "Kỹ năng số cơ bản" after failing the final quiz once and is half-way through
 * "An toàn thông tin"; forty staff of Gia Lai take the final quiz with varied answers, so the
 * organiser's results and item analysis have something to show. Idempotent: skipped when the
 * first demo course exists. All content is written for the demo; no real personal data.
 */
export const DEMO_COURSE_CODES = ['DEMO-KNS-01', 'DEMO-ATTT-01', 'DEMO-LUAT-01'] as const;

type QuizInput = Parameters<QuizzesService['create']>[2];
type CourseInput = Parameters<CatalogService['create']>[1];

const KNS_GIFT = `
$CATEGORY: Kỹ năng số/Nhận thức

::CĐS::Chuyển đổi số là gì? {
  =Quá trình thay đổi tổng thể, toàn diện cách sống, cách làm việc và phương thức sản xuất dựa trên công nghệ số
  ~Việc mua thêm máy tính cho cơ quan
  ~Việc scan toàn bộ hồ sơ giấy thành tệp PDF
  ~Việc mỗi cán bộ có một địa chỉ thư điện tử
}

::DVC::Dịch vụ công trực tuyến toàn trình là dịch vụ mà người dân được thực hiện trực tuyến từ khi nộp hồ sơ đến khi nhận kết quả. {T}

::Tổ CNS::Tổ công nghệ số cộng đồng được thành lập ở cấp nào? {
  =Thôn, tổ dân phố
  ~Tỉnh
  ~Bộ, ngành trung ương
  ~Chỉ ở thành phố trực thuộc trung ương
}

::Định danh::Tài khoản định danh điện tử mức độ 2 có thể dùng để đăng nhập Cổng Dịch vụ công quốc gia. {T}

$CATEGORY: Kỹ năng số/An toàn

::Mật khẩu::Nên dùng chung một mật khẩu cho mọi tài khoản công vụ để dễ nhớ. {F}

::Thư lừa đảo::Khi nhận thư điện tử yêu cầu đăng nhập qua một đường liên kết lạ, cán bộ nên làm gì? {
  =Không bấm vào liên kết, báo cho bộ phận CNTT của cơ quan
  ~Bấm vào để kiểm tra thử
  ~Chuyển tiếp cho đồng nghiệp hỏi ý kiến
  ~Trả lời thư để hỏi người gửi
}

::Cập nhật::Cập nhật bản vá hệ điều hành giúp giảm nguy cơ bị tấn công qua các lỗ hổng đã biết. {T}

::Wi-Fi::Có thể xử lý văn bản mật qua mạng Wi-Fi công cộng miễn phí nếu có mật khẩu Wi-Fi. {F}

$CATEGORY: Kỹ năng số/Công cụ

::Chữ ký số::Văn bản điện tử được ký số hợp lệ có giá trị pháp lý như văn bản giấy được ký tay, đóng dấu. {T}

::Họp trực tuyến::Điều nào KHÔNG nên làm khi chủ trì cuộc họp trực tuyến? {
  =Chia sẻ đường liên kết phòng họp công khai trên mạng xã hội
  ~Kiểm tra âm thanh, hình ảnh trước giờ họp
  ~Bật chế độ phòng chờ để duyệt người tham dự
  ~Gửi tài liệu họp trước cho đại biểu
}
`;

/** The self-test's own questions: practice shows the answers at once, so it never shares questions with the final exam. */
const KNS_PRACTICE_GIFT = `
$CATEGORY: Tự kiểm tra

::TKT Cổng DVC::Người dân có thể theo dõi tình trạng hồ sơ trực tuyến của mình trên Cổng Dịch vụ công. {T}

::TKT VNeID::Ứng dụng nào dùng để xác thực định danh điện tử của công dân? {
  =VNeID
  ~Một ứng dụng trò chơi
  ~Trình soạn thảo văn bản
  ~Ứng dụng nghe nhạc
}

::TKT Sao lưu::Sao lưu dữ liệu công việc định kỳ giúp hạn chế mất dữ liệu khi máy tính gặp sự cố. {T}

::TKT USB::Cắm USB nhặt được vào máy tính cơ quan để tìm chủ nhân là việc làm an toàn. {F}
`;

const LAW_GIFT = `
$CATEGORY: Pháp luật/Văn bản

::Giao dịch điện tử::Luật Giao dịch điện tử hiện hành được Quốc hội thông qua năm nào? {
  =2023
  ~2005
  ~2015
  ~2019
}

::Quyết định 1690::Các nội dung nào là nhiệm vụ của Mạng lưới chuyển đổi số theo kế hoạch của tỉnh? {
  ~%50%Tham mưu triển khai các nhiệm vụ chuyển đổi số tại đơn vị
  ~%50%Hướng dẫn người dân sử dụng dịch vụ công trực tuyến
  ~%-50%Thay thế bộ phận một cửa của xã
  ~%-50%Quyết định biên chế của đơn vị
}

::Ghép văn bản::Ghép mỗi văn bản với nội dung chính của nó. {
  =Luật Giao dịch điện tử -> Giá trị pháp lý của thông điệp dữ liệu và chữ ký điện tử
  =Luật An ninh mạng -> Bảo vệ an ninh quốc gia trên không gian mạng
  =Luật Dữ liệu -> Xây dựng, quản lý và khai thác dữ liệu số
}

::Viết tắt::Cụm từ viết tắt "CĐS" trong các văn bản của tỉnh có nghĩa là gì? {
  =chuyển đổi số
  =chuyen doi so
}
`;

const ORDERING: QuestionDefinition = {
  type: QuestionType.Ordering,
  title: 'Quy trình nộp hồ sơ trực tuyến',
  text: 'Sắp xếp các bước nộp hồ sơ dịch vụ công trực tuyến theo đúng thứ tự.',
  category: 'Pháp luật/Thủ tục',
  tags: ['dịch vụ công'],
  partialCredit: true,
  items: [
    { id: 'b1', text: 'Đăng nhập Cổng Dịch vụ công bằng tài khoản định danh điện tử' },
    { id: 'b2', text: 'Chọn thủ tục hành chính cần thực hiện' },
    { id: 'b3', text: 'Điền tờ khai và đính kèm giấy tờ' },
    { id: 'b4', text: 'Nộp hồ sơ và thanh toán phí (nếu có)' },
    { id: 'b5', text: 'Theo dõi và nhận kết quả' },
  ],
};

const MD = {
  intro: `# Chuyển đổi số là gì?

Chuyển đổi số là quá trình thay đổi tổng thể và toàn diện cách sống, cách làm việc và phương thức
sản xuất dựa trên các công nghệ số.

## Ba trụ cột
1. **Chính quyền số** — cơ quan nhà nước vận hành dựa trên dữ liệu.
2. **Kinh tế số** — doanh nghiệp đưa hoạt động lên môi trường số.
3. **Xã hội số** — người dân có kỹ năng số và danh tính số.

> Mạng lưới chuyển đổi số của tỉnh gồm cán bộ từ cấp tỉnh đến từng xã, phường và Tổ công nghệ số cộng đồng.`,
  email: `# Sử dụng thư điện tử công vụ an toàn

- Chỉ dùng hộp thư công vụ cho công việc.
- **Không** bấm vào đường liên kết lạ; kiểm tra địa chỉ người gửi.
- Bật xác thực hai yếu tố.
- Báo ngay cho bộ phận CNTT khi nghi ngờ thư lừa đảo.`,
  tools: `# Chữ ký số và họp trực tuyến

Văn bản điện tử được ký số hợp lệ có giá trị pháp lý như văn bản giấy.

| Công cụ | Dùng khi |
|---|---|
| Chữ ký số cá nhân | Ký văn bản trên hệ thống quản lý văn bản |
| Họp trực tuyến | Họp giao ban với xã, phường |`,
  attt1: `# Mật khẩu mạnh

Một mật khẩu mạnh dài ít nhất 12 ký tự, không dùng lại giữa các hệ thống, và được lưu trong
trình quản lý mật khẩu được cơ quan cho phép.`,
  attt2: `# Nhận diện lừa đảo trực tuyến

Các dấu hiệu thường gặp: thúc giục gấp, yêu cầu cung cấp mã OTP, đường liên kết giả mạo tên miền
\`.gov.vn\`, tệp đính kèm lạ.`,
  law1: `# Khung pháp lý về chuyển đổi số

- Luật Giao dịch điện tử (2023)
- Luật An ninh mạng (2018)
- Luật Dữ liệu (2024)
- Quyết định 1690/QĐ-TTg về Mạng lưới chuyển đổi số`,
};

/** The demo organiser as the services see a signed-in user (null before the demo accounts exist). */
export async function organiserActor(app: INestApplicationContext): Promise<Actor | null> {
  const [user] = (await app.get(DataSource).query(`SELECT id FROM users WHERE username = 'organiser'`)) as Array<{ id: string }>;
  const loaded = user ? await app.get(AuthService).loadActiveUser(user.id) : null;
  return loaded ? new Actor(loaded.id, loaded.username, loaded.personId, loaded.grants) : null;
}

/** A demo learner (people without an account act through the services the same way). */
function learnerActor(personId: string, userId = '00000000-0000-4000-8000-000000000000'): Actor {
  return new Actor(userId, 'demo-learner', personId, []);
}

/** Deterministic PRNG (mulberry32), so every install has the same demo results. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function seedDemoCourses(app: INestApplicationContext, log: (msg: string) => void = () => undefined): Promise<boolean> {
  const db = app.get(DataSource);
  const [{ exists }] = await db.query(`SELECT EXISTS (SELECT 1 FROM courses WHERE code = $1) AS exists`, [DEMO_COURSE_CODES[0]]);
  if (exists) return false;
  const organiser = await organiserActor(app);
  if (!organiser) return false;
  const started = Date.now();
  const catalog = app.get(CatalogService);
  const progress = app.get(ProgressService);
  const questions = app.get(QuestionsService);
  const quizzes = app.get(QuizzesService);
  const attempts = app.get(AttemptsService);
  const province = organiser.grants.find((g) => g.role === Role.Organiser);
  if (!province) return false;

  const course = async (input: Omit<CourseInput, 'ownerUnitId'>) => catalog.create(organiser, { ...input, ownerUnitId: province.orgUnitId } as CourseInput);
  const gift = async (courseId: string, text: string) => {
    const result = await questions.import(organiser, courseId, { buffer: Buffer.from(text), originalname: 'demo.gift' }, 'gift', false);
    if (result.errors.length) throw new Error(`demo question bank: ${JSON.stringify(result.errors)}`);
  };
  const quiz = async (courseId: string, input: Partial<QuizInput> & Pick<QuizInput, 'title' | 'mode'>) => {
    const bank = await questions.list(organiser, courseId, {});
    return quizzes.create(organiser, courseId, { selection: { mode: 'fixed', questionIds: bank.map((q) => q.id) }, ...input } as QuizInput);
  };
  const lesson = (courseId: string, sectionId: string, body: Record<string, unknown>) => catalog.addLesson(organiser, courseId, sectionId, body as never);

  // 1. Kỹ năng số cơ bản: reading, a link, a self-test and a graded final quiz.
  const kns = await course({
    code: 'DEMO-KNS-01',
    title: 'Kỹ năng số cơ bản cho cán bộ, công chức',
    summary: 'Khoá học tự học về nhận thức chuyển đổi số, sử dụng dịch vụ công trực tuyến, thư điện tử và chữ ký số an toàn.',
    periods: 8,
    topics: ['Kỹ năng số', 'Chuyển đổi số'],
    audienceCategories: [],
  });
  await gift(kns, KNS_GIFT);
  // The final exam's questions are marked exam only; the self-test draws from its own bank.
  const examIds = (await questions.list(organiser, kns, {})).map((q) => q.id);
  for (const q of await questions.list(organiser, kns, {})) await questions.update(organiser, q.id, { ...q.definition, examOnly: true });
  await gift(kns, KNS_PRACTICE_GIFT);
  const practiceIds = (await questions.list(organiser, kns, { category: 'Tự kiểm tra' })).map((q) => q.id);
  const knsPractice = await quiz(kns, { title: 'Tự kiểm tra', mode: 'practice', selection: { mode: 'fixed', questionIds: practiceIds }, review: { score: 'after_submit', answers: 'after_submit' } });
  const knsFinal = await quiz(kns, {
    selection: { mode: 'fixed', questionIds: examIds },
    title: 'Bài kiểm tra cuối khoá',
    mode: 'graded',
    maxAttempts: 3,
    timeLimitSeconds: 15 * 60,
    passMark: 0.5,
    gradingMethod: 'highest',
    review: { score: 'after_submit', answers: 'after_submit' },
  });
  const k1 = await catalog.addSection(organiser, kns, { title: 'Phần 1. Nhận thức về chuyển đổi số' });
  await lesson(kns, k1, { title: 'Chuyển đổi số là gì?', kind: LessonKind.Text, markdown: MD.intro, durationMinutes: 15 });
  await lesson(kns, k1, { title: 'Cổng Dịch vụ công quốc gia', kind: LessonKind.Link, url: 'https://dichvucong.gov.vn', durationMinutes: 10, required: false });
  const k2 = await catalog.addSection(organiser, kns, { title: 'Phần 2. Làm việc an toàn trên môi trường số' });
  await lesson(kns, k2, { title: 'Thư điện tử công vụ an toàn', kind: LessonKind.Text, markdown: MD.email, durationMinutes: 15 });
  await lesson(kns, k2, { title: 'Chữ ký số và họp trực tuyến', kind: LessonKind.Text, markdown: MD.tools, durationMinutes: 20 });
  const k3 = await catalog.addSection(organiser, kns, { title: 'Phần 3. Tự kiểm tra và kiểm tra cuối khoá' });
  await lesson(kns, k3, { title: 'Tự kiểm tra', kind: LessonKind.Quiz, quizId: knsPractice.id, required: false });
  await lesson(kns, k3, { title: 'Bài kiểm tra cuối khoá', kind: LessonKind.Quiz, quizId: knsFinal.id });
  await catalog.updateDraft(organiser, kns, { finalQuizId: knsFinal.id });
  await catalog.publish(organiser, kns);

  // 2. An toàn thông tin cơ bản: for DX focal points and commune IT officers.
  const attt = await course({
    code: 'DEMO-ATTT-01',
    title: 'An toàn thông tin cơ bản',
    summary: 'Mật khẩu, thư lừa đảo, cập nhật phần mềm: những thói quen an toàn thông tin tối thiểu của cán bộ mạng lưới chuyển đổi số.',
    periods: 4,
    topics: ['An toàn thông tin'],
    audienceCategories: [NetworkCategory.UnitFocalPoint, NetworkCategory.CommuneItOfficer, NetworkCategory.CommunityDigitalTeam],
  });
  await gift(attt, KNS_GIFT.split('$CATEGORY: Kỹ năng số/Công cụ')[0]);
  const atttFinal = await quiz(attt, { title: 'Kiểm tra an toàn thông tin', mode: 'graded', maxAttempts: null, review: { score: 'after_submit', answers: 'after_close' } });
  const a1 = await catalog.addSection(organiser, attt, { title: 'Thói quen an toàn' });
  await lesson(attt, a1, { title: 'Mật khẩu mạnh', kind: LessonKind.Text, markdown: MD.attt1, durationMinutes: 10 });
  await lesson(attt, a1, { title: 'Nhận diện lừa đảo trực tuyến', kind: LessonKind.Text, markdown: MD.attt2, durationMinutes: 15 });
  await lesson(attt, a1, { title: 'Kiểm tra', kind: LessonKind.Quiz, quizId: atttFinal.id });
  await catalog.updateDraft(organiser, attt, { finalQuizId: atttFinal.id });
  await catalog.publish(organiser, attt);

  // 3. Pháp luật về chuyển đổi số: every question type except true/false.
  const law = await course({
    code: 'DEMO-LUAT-01',
    title: 'Pháp luật về chuyển đổi số và giao dịch điện tử',
    summary: 'Các luật và văn bản chỉ đạo về chuyển đổi số mà cán bộ mạng lưới cần nắm.',
    periods: 4,
    topics: ['Pháp luật', 'Chuyển đổi số'],
    audienceCategories: [],
  });
  await gift(law, LAW_GIFT);
  await questions.create(organiser, law, ORDERING as unknown as Record<string, unknown>);
  const lawFinal = await quiz(law, { title: 'Kiểm tra kiến thức pháp luật', mode: 'graded', maxAttempts: 2, review: { score: 'after_submit', answers: 'after_submit' } });
  const l1 = await catalog.addSection(organiser, law, { title: 'Khung pháp lý' });
  await lesson(law, l1, { title: 'Các văn bản chính', kind: LessonKind.Text, markdown: MD.law1, durationMinutes: 20 });
  await lesson(law, l1, { title: 'Kiểm tra', kind: LessonKind.Quiz, quizId: lawFinal.id });
  await catalog.updateDraft(organiser, law, { finalQuizId: lawFinal.id });
  await catalog.publish(organiser, law);

  // Learners. The answer key comes from the bank (organiser view), matched to the learner's view by text.
  const bank = await questions.list(organiser, kns, {});
  const key = new Map(bank.map((q) => [q.definition.text, q.definition]));
  const answerAll = async (actor: Actor, view: AttemptView, pRight: number, rnd: () => number) => {
    for (const slot of view.slots) {
      const def = key.get(slot.question.text);
      const right = rnd() < pRight;
      if (!def) continue;
      if (def.type === QuestionType.TrueFalse) await attempts.save(actor, view.id, slot.slot, { value: right ? def.correct : !def.correct });
      else if (def.type === QuestionType.SingleChoice && slot.question.type === QuestionType.SingleChoice) {
        const correct = def.options.find((o) => o.fraction === 1)?.text;
        const pick = slot.question.options.find((o) => (right ? o.text === correct : o.text !== correct));
        if (pick) await attempts.save(actor, view.id, slot.slot, { optionId: pick.id });
      }
    }
    return attempts.submit(actor, view.id);
  };
  const study = async (actor: Actor, courseId: string, count: number) => {
    await progress.start(actor, courseId);
    const detail = await catalog.detail(actor, courseId);
    const lessons = detail.version?.sections.flatMap((s) => s.lessons).filter((l) => l.kind !== LessonKind.Quiz) ?? [];
    for (const l of lessons.slice(0, count)) await progress.recordLesson(actor, l.id, { completed: true, timeSpentSeconds: (l.durationMinutes ?? 10) * 60 });
  };

  // The demo learner: fails the final quiz once, then passes; half-way through the second course.
  const [learner] = await db.query(`SELECT id, person_id FROM users WHERE username = 'learner'`);
  if (learner?.person_id) {
    const me = learnerActor(learner.person_id, learner.id);
    const rnd = prng(1);
    await study(me, kns, 99);
    await answerAll(me, await attempts.start(me, knsPractice.id), 0.7, rnd);
    await answerAll(me, await attempts.start(me, knsFinal.id), 0, rnd);
    await answerAll(me, await attempts.start(me, knsFinal.id), 1, rnd);
    await study(me, attt, 1);
  }

  // Forty staff of the organiser's province: varied results, some retry after failing.
  const people: Array<{ id: string }> = await db.query(
    `SELECT p.id FROM people p JOIN org_units u ON u.id = p.org_unit_id
      WHERE u.path LIKE $1 AND p.active AND p.id <> ALL($2::uuid[]) ORDER BY p.staff_code LIMIT 40`,
    [`${province.path}%`, [learner?.person_id].filter(Boolean)],
  );
  const rnd = prng(1690);
  for (const person of people) {
    const actor = learnerActor(person.id);
    const skill = 0.3 + rnd() * 0.7;
    await study(actor, kns, rnd() < 0.85 ? 99 : 1);
    const first = await answerAll(actor, await attempts.start(actor, knsFinal.id), skill, rnd);
    if (first.result?.passed === false && rnd() < 0.6) await answerAll(actor, await attempts.start(actor, knsFinal.id), Math.min(1, skill + 0.3), rnd);
  }
  log(`Demo courses: ${DEMO_COURSE_CODES.join(', ')}, taken by ${people.length + 1} demo learners (${Date.now() - started} ms).`);
  return true;
}
