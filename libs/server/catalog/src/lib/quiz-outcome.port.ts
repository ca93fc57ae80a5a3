/**
 * What the catalog needs to know from the assessment domain to decide completion, without
 * depending on it: the best graded result of a person on a quiz. Provided by the assessment
 * domain under QUIZ_OUTCOME_PORT.
 */
export interface QuizOutcomePort {
  outcome(personId: string, quizId: string): Promise<{ attempted: boolean; passed: boolean; fraction: number | null; mode: 'practice' | 'graded' } | null>;
}

export const QUIZ_OUTCOME_PORT = Symbol('QUIZ_OUTCOME_PORT');
