/** One problem in a fixture, named by its path in the file (`users[3].organization`). */
export interface FixtureProblem {
  path: string;
  message: string;
}

export const formatProblem = (p: FixtureProblem): string => (p.path ? `${p.path}: ${p.message}` : p.message);

/** The fixture was refused: nothing was written. Carries every problem found, not just the first. */
export class FixtureRejectedError extends Error {
  constructor(readonly problems: FixtureProblem[]) {
    super(`fixture refused (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}):\n  ${problems.map(formatProblem).join('\n  ')}`);
  }
}
