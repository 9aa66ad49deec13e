import { readFile } from 'node:fs/promises';
import { findJsonSyntaxError } from './json-syntax-error';

/** The file could not be read or is not JSON: a usage problem, not a fixture problem. */
export class FixtureFileError extends Error {}

/** "line 3, column 5" for a character offset, the way editors count. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Parses JSON text; a syntax error names the line, the column and what was wrong there. */
export function parseFixtureJson(text: string, name: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    if (body.trim() === '') throw new FixtureFileError(`${name}: invalid JSON: the file is empty`);
    const found = findJsonSyntaxError(body);
    if (found) throw new FixtureFileError(`${name}: invalid JSON at ${lineAndColumn(body, found.offset)} (position ${found.offset}): ${found.reason}`);
    throw new FixtureFileError(`${name}: invalid JSON: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`);
  }
}

export async function readFixtureFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(err);
    throw new FixtureFileError(`cannot read ${path}: ${reason}`);
  }
  return parseFixtureJson(text, path);
}
