/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Prefixes `'` to text a spreadsheet would otherwise evaluate (`=HYPERLINK(...)`, `+SUM(...)`,
 * `-2`, `@cmd`, leading tab or CR), so exported files never carry a live formula.
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
