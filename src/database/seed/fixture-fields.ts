import type { FixtureProblem } from './fixture-error';

/**
 * Typed reads of untrusted JSON that record a path-named problem instead of
 * throwing, so one pass over a file lists every problem in it.
 */
export class Problems {
  readonly list: FixtureProblem[] = [];

  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** How a wrong value is shown: its JSON type, and a short excerpt for scalars. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return `an ${typeof value}`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

const suggestion = (key: string, allowed: readonly string[]): string => {
  const near = allowed.find((k) => distance(key, k) <= 2);
  return near ? ` (did you mean "${near}"?)` : '';
};

export const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** The fields of one JSON object at `path`; unknown keys are refused. */
export class Fields {
  private constructor(
    private readonly problems: Problems,
    private readonly path: string,
    private readonly obj: JsonObject,
  ) {}

  /** Null (and a problem recorded) unless `value` is an object with only `allowed` keys. */
  static of(problems: Problems, path: string, value: unknown, allowed: readonly string[]): Fields | null {
    if (!isObject(value)) {
      problems.add(path, `must be an object (got ${describe(value)})`);
      return null;
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) problems.add(at(path, key), `unknown field${suggestion(key, allowed)}`);
    }
    return new Fields(problems, path, value);
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.obj[key];
  }

  pathOf(key: string): string {
    return at(this.path, key);
  }

  private wrong(key: string, expected: string): undefined {
    this.problems.add(this.pathOf(key), `must be ${expected} (got ${describe(this.obj[key])})`);
    return undefined;
  }

  private missing(key: string): undefined {
    this.problems.add(this.pathOf(key), 'is required');
    return undefined;
  }

  /** A string, non-blank, without NUL, at most `max` characters. */
  string(key: string, options: { required: true; max?: number }): string | undefined;
  string(key: string, options?: { required?: false; max?: number }): string | undefined;
  string(key: string, options: { required?: boolean; max?: number } = {}): string | undefined {
    const value = this.obj[key];
    if (value === undefined) return options.required ? this.missing(key) : undefined;
    if (typeof value !== 'string') return this.wrong(key, 'a string');
    const max = options.max ?? 255;
    if (value.trim().length === 0) return this.wrong(key, 'a non-empty string');
    if (value.includes('\0')) return this.wrong(key, 'a string without NUL characters');
    if (value.length > max) return this.wrong(key, `at most ${max} characters`);
    return value;
  }

  /** An optional setting that may also be null: `undefined` when absent. */
  nullableString(key: string, max = 255): string | null | undefined {
    if (this.obj[key] === null) return null;
    return this.string(key, { max });
  }

  boolean(key: string): boolean | undefined {
    const value = this.obj[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') return this.wrong(key, 'true or false');
    return value;
  }

  integer(key: string, min: number, max: number): number | undefined {
    const value = this.obj[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.wrong(key, 'an integer');
    if (value < min || value > max) return this.wrong(key, `between ${min} and ${max}`);
    return value;
  }

  oneOf<T extends string | number>(key: string, allowed: readonly T[], options: { required?: boolean } = {}): T | undefined {
    const value = this.obj[key];
    if (value === undefined) return options.required ? this.missing(key) : undefined;
    if (!(allowed as readonly unknown[]).includes(value)) {
      return this.wrong(key, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    }
    return value as T;
  }

  /** An array (empty allowed); its items are checked by the caller. */
  array(key: string): unknown[] | undefined {
    const value = this.obj[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) return this.wrong(key, 'an array');
    return value as unknown[];
  }

  /** An array of non-blank strings, none repeated. */
  stringList(key: string, max = 255): string[] | undefined {
    const items = this.array(key);
    if (items === undefined) return undefined;
    const out: string[] = [];
    items.forEach((item, i) => {
      const path = `${this.pathOf(key)}[${i}]`;
      if (typeof item !== 'string' || item.trim().length === 0 || item.includes('\0') || item.length > max) {
        this.problems.add(path, `must be a non-empty string of at most ${max} characters (got ${describe(item)})`);
      } else if (out.includes(item)) {
        this.problems.add(path, `duplicate "${item}"`);
      } else {
        out.push(item);
      }
    });
    return out;
  }
}
