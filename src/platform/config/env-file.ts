import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Loads `.env` (KEY=value lines, read by Node's own parser, `process.loadEnvFile`) into
 * `process.env` before the configuration is validated, when the file exists. A variable
 * already set in the real environment wins: a deployment's settings are never overridden
 * by a file left in the working directory. `.env` is git-ignored; start from
 * `.env.example`. Read by `npm start` (src/main.ts); the tests never read it (they build
 * their configuration in code). Returns the names it set, for the start-up line.
 */
export function loadEnvFile(path = resolve(process.cwd(), '.env')): string[] {
  if (!existsSync(path)) return [];
  const before = new Set(Object.keys(process.env));
  process.loadEnvFile(path);
  return Object.keys(process.env)
    .filter((key) => !before.has(key))
    .sort();
}
