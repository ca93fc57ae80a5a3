/** PostgreSQL SQLSTATE codes the domains translate into user-facing errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';

export function isPgError(err: unknown, code: string, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const actual = e?.driverError ?? e;
  return actual?.code === code && (constraint === undefined || actual?.constraint === constraint);
}
