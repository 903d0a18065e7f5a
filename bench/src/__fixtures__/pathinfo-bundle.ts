/**
 * The text of a webpack bundle built with `output.pathinfo`: each module numbered, under the
 * banner naming its path, then its code (one line here). Module k's banner path is on line
 * 5k + 2 (0-based), its code on line 5k + 4.
 */
export function pathinfoBundle(modules: ReadonlyArray<[path: string, code: string]>): string {
  return modules
    .flatMap(([path, code], i) => [
      `/* ${i + 1} */`,
      '/*!**********!*\\',
      `  !*** ${path} ***!`,
      '  \\**********/',
      code,
    ])
    .join('\n');
}
