import type { GradedResponse, QuestionDefinition, QuestionResponse, QuestionView } from './assessment';

export type QuizMode = 'practice' | 'graded';
export type ReviewWhen = 'after_submit' | 'after_close' | 'never';
export type GradingMethod = 'highest' | 'last' | 'first' | 'average';

export interface QuizSettings {
  id: string;
  courseId: string;
  title: string;
  mode: QuizMode;
  selection: { mode: 'fixed'; questionIds: string[] } | { mode: 'random'; draws: Array<{ category: string; count: number }> };
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  timeLimitSeconds: number | null;
  openAt: string | null;
  closeAt: string | null;
  maxAttempts: number | null;
  gradingMethod: GradingMethod;
  passMark: number;
  review: { score: ReviewWhen; answers: ReviewWhen };
}

/** What a learner sees of a quiz before starting. */
/** What an editor sees when trying a quiz: one draw of its questions as learners get them, with the answers. Nothing is recorded. */
export interface QuizPreview {
  quizId: string;
  title: string;
  mode: 'practice' | 'graded';
  questions: Array<{ slot: number; question: QuestionView; definition: QuestionDefinition }>;
}

export interface QuizInfo {
  quiz: Omit<QuizSettings, 'selection'> & { questionCount: number };
  attemptsUsed: number;
  inProgressAttemptId: string | null;
  /** The grade by the quiz's grading method, when the review rules let the learner see it. */
  grade: number | null;
  passed: boolean | null;
  attempts: Array<{ id: string; number: number; status: AttemptStatus; submittedAt: string | null; fraction: number | null }>;
}

export type AttemptStatus = 'in_progress' | 'submitted' | 'timed_out';

export interface AttemptSlotView {
  slot: number;
  question: QuestionView;
  response: QuestionResponse | null;
  /** Practice quizzes only: feedback on the saved answer. */
  feedback?: GradedResponse | null;
}

export interface AttemptView {
  id: string;
  quizId: string;
  courseId: string;
  number: number;
  status: AttemptStatus;
  mode: QuizMode;
  startedAt: string;
  deadlineAt: string | null;
  /** Server time when this answer was made, so the countdown is right on a wrong client clock. */
  serverNow: string;
  submittedAt: string | null;
  slots: AttemptSlotView[];
  /** Filled when finished and the review rules allow. */
  result: AttemptResult | null;
}

export interface AttemptResult {
  score: number | null;
  maxScore: number;
  fraction: number | null;
  passed: boolean | null;
  /** Per question, when answers may be reviewed. */
  questions: Array<{ slot: number; definition: QuestionDefinition; response: QuestionResponse | null; graded: GradedResponse | null }> | null;
}

export interface QuizResultRow {
  personId: string;
  staffCode: string;
  fullName: string;
  unitName: string;
  attempts: number;
  grade: number | null;
  passed: boolean;
  lastSubmittedAt: string | null;
}

export interface ItemAnalysisRow {
  questionId: string;
  title: string;
  type: string;
  attempts: number;
  /** Percent (0–100) of the marks achieved on the question: 100 = everyone right. */
  facilityIndex: number | null;
  discriminationIndex: number | null;
  options: Array<{ key: string; text: string; count: number }>;
}

export interface QuestionImportResult {
  dryRun: boolean;
  imported: number;
  errors: Array<{ line: number; column?: string; message: string }>;
  skipped?: string[];
}

export interface QuestionItem {
  id: string;
  courseId: string;
  category: string;
  tags: string[];
  type: string;
  definition: QuestionDefinition;
  updatedAt: string;
}
