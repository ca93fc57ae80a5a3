import { QuestionDefinition } from '@dxtrain/shared/contracts';
import { validateDefinition } from './grading';

/** A problem in an imported file. `line` is the text line (GIFT, Aiken) or spreadsheet row (tables). */
export interface ImportError {
  line: number;
  /** The column header as written in the file (tables only). */
  column?: string;
  /** Vietnamese. */
  message: string;
  messageEn: string;
}

export interface ImportedQuestion {
  /** First line (or row) of the question in the file. */
  line: number;
  definition: QuestionDefinition;
}

/** What every importer returns: the valid questions, and the problems of the others. */
export interface ImportResult {
  questions: ImportedQuestion[];
  errors: ImportError[];
}

/** Validates a parsed definition, turning its problems into import errors (Vietnamese and English). */
export function definitionErrors(def: QuestionDefinition, line: number, column?: string): ImportError[] {
  const vi = validateDefinition(def, 'vi');
  const en = validateDefinition(def, 'en');
  return vi.map((message, i) => ({ line, ...(column ? { column } : {}), message, messageEn: en[i] }));
}
