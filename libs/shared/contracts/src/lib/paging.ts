export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 200;
/** The last page any list answers (page × pageSize stays far inside PostgreSQL's bigint OFFSET). */
export const MAX_PAGE = 100_000;
