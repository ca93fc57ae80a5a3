/**
 * Questions, the learner's view of them, responses and grades.
 *
 * `QuestionDefinition` is the authoring form (stored as JSON, seen by organisers only).
 * `QuestionView` is what a browser may see during an attempt: no fractions, no correct
 * flags, no feedback, choices shuffled by a seed, matching answers and ordering items
 * behind opaque ids. Shared by server and web: no Node imports here.
 */

export enum QuestionType {
  SingleChoice = 'single_choice',
  MultipleChoice = 'multiple_choice',
  TrueFalse = 'true_false',
  ShortAnswer = 'short_answer',
  Matching = 'matching',
  Ordering = 'ordering',
}

export const QUESTION_TYPES: readonly QuestionType[] = Object.values(QuestionType);

/** Longest free-text response accepted (short answer). */
export const MAX_RESPONSE_TEXT_LENGTH = 1000;

interface QuestionBase {
  /** Markdown. For the missing-word format the blank is written `_____`. */
  text: string;
  /** Marks for a fully correct answer; 1 when omitted. */
  points?: number;
  /** Shown after answering, whatever the answer. */
  generalFeedback?: string;
  tags: string[];
  /** Slash-separated path, e.g. `An toàn thông tin/Cơ bản`. */
  category?: string;
  title?: string;
  /**
   * Only for graded exams: never drawn into a practice quiz (practice shows correctness per answer, so an exam
   * question there would leak the exam's answers).
   */
  examOnly?: boolean;
}

export interface ChoiceOption {
  id: string;
  text: string;
  /** -1..1. Single choice: exactly one option has 1. Multiple choice: positive fractions add up to 1. */
  fraction: number;
  feedback?: string;
}

export interface SingleChoiceQuestion extends QuestionBase {
  type: QuestionType.SingleChoice;
  options: ChoiceOption[];
}

export interface MultipleChoiceQuestion extends QuestionBase {
  type: QuestionType.MultipleChoice;
  options: ChoiceOption[];
  /** true: sum of the chosen options' fractions (clamped to 0..1); false: all or nothing. */
  partialCredit: boolean;
}

export interface TrueFalseQuestion extends QuestionBase {
  type: QuestionType.TrueFalse;
  correct: boolean;
  feedbackTrue?: string;
  feedbackFalse?: string;
}

export interface ShortAnswer {
  /** Accepted answer; `*` matches any run of characters (Moodle style). */
  text: string;
  fraction: number;
  feedback?: string;
}

export interface ShortAnswerQuestion extends QuestionBase {
  type: QuestionType.ShortAnswer;
  answers: ShortAnswer[];
  caseSensitive: boolean;
  ignoreDiacritics: boolean;
}

export interface MatchingPair {
  id: string;
  prompt: string;
  answer: string;
}

export interface MatchingQuestion extends QuestionBase {
  type: QuestionType.Matching;
  pairs: MatchingPair[];
  /** Extra wrong answers offered in the list. */
  distractors: string[];
}

export interface OrderingItem {
  id: string;
  text: string;
}

export interface OrderingQuestion extends QuestionBase {
  type: QuestionType.Ordering;
  /** In the correct order. */
  items: OrderingItem[];
  /** true: longest correctly ordered subsequence / number of items; false: all or nothing. */
  partialCredit: boolean;
}

export type QuestionDefinition =
  | SingleChoiceQuestion
  | MultipleChoiceQuestion
  | TrueFalseQuestion
  | ShortAnswerQuestion
  | MatchingQuestion
  | OrderingQuestion;

// ---------------------------------------------------------------------------------------------
// Learner-side view

export interface ViewChoice {
  id: string;
  text: string;
}

interface QuestionViewBase {
  text: string;
  title?: string;
  /** Marks available. */
  points: number;
}

export interface SingleChoiceView extends QuestionViewBase {
  type: QuestionType.SingleChoice;
  options: ViewChoice[];
}

export interface MultipleChoiceView extends QuestionViewBase {
  type: QuestionType.MultipleChoice;
  options: ViewChoice[];
}

export interface TrueFalseView extends QuestionViewBase {
  type: QuestionType.TrueFalse;
}

export interface ShortAnswerView extends QuestionViewBase {
  type: QuestionType.ShortAnswer;
}

export interface MatchingView extends QuestionViewBase {
  type: QuestionType.Matching;
  prompts: ViewChoice[];
  /** Pair answers and distractors, shuffled, with opaque ids. */
  answers: ViewChoice[];
}

export interface OrderingView extends QuestionViewBase {
  type: QuestionType.Ordering;
  /** Scrambled, with opaque ids. */
  items: ViewChoice[];
}

export type QuestionView = SingleChoiceView | MultipleChoiceView | TrueFalseView | ShortAnswerView | MatchingView | OrderingView;

// ---------------------------------------------------------------------------------------------
// Responses and grades

export interface SingleChoiceResponse {
  optionId: string;
}
export interface MultipleChoiceResponse {
  optionIds: string[];
}
export interface TrueFalseResponse {
  value: boolean;
}
export interface ShortAnswerResponse {
  text: string;
}
export interface MatchingResponse {
  /** promptId → answerId (ids of the view the learner saw). */
  matches: Record<string, string>;
}
export interface OrderingResponse {
  /** Item ids (of the view the learner saw) in the learner's order. */
  order: string[];
}

export type QuestionResponse =
  | SingleChoiceResponse
  | MultipleChoiceResponse
  | TrueFalseResponse
  | ShortAnswerResponse
  | MatchingResponse
  | OrderingResponse;

export interface GradedResponse {
  /** 0..1 */
  fraction: number;
  /** fraction × maxScore */
  score: number;
  maxScore: number;
  correct: boolean | 'partial';
  feedback?: string[];
}
