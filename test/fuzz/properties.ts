import type { FuzzRequest } from './arbitraries';

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A V8 stack frame, or the path of a source file or a dependency. */
const STACK = [
  /\bat (?:async )?[\w$.<>[\] ]*\(?(?:\/|node:|file:)[^\s)]*:\d+:\d+/,
  /\/src\/[\w./-]+\.(?:ts|js)/,
  /node_modules/,
  /\b\w+Error: .*\n\s+at /,
];

/** What a database error or a query looks like when it leaks. */
const SQL = [
  /\bSELECT\b[\s\S]{1,200}\bFROM\b/i,
  /\bINSERT INTO\b/i,
  /\bUPDATE\s+\w+\s+SET\b/i,
  /\bDELETE FROM\b/i,
  /syntax error at or near/i,
  /invalid input syntax for (?:type )?\w+/i,
  /invalid byte sequence for encoding/i,
  /violates (?:unique|foreign key|not-null|check) constraint/i,
  /duplicate key value/i,
  /relation "[^"]+" does not exist/i,
  /QueryFailedError|EntityNotFound|TypeORMError/,
  /\bpg_\w+\b/,
];

const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;

const pathOf = (req: FuzzRequest) => req.path.split('?')[0];
const isWorkspace = (path: string) => path === '/api/workspace' || path.startsWith('/api/workspace/');
const isAuthStyle = (path: string) => /^\/api\/(?:auth|organizations)(?:\/|$)/.test(path);

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The properties every answer has, whatever was sent. Returns what was wrong
 * (empty when the answer is fine): one line each, stable enough to group by.
 */
export function violationsOf(req: FuzzRequest, res: FuzzResponse): string[] {
  const out: string[] = [];
  if (res.status >= 500) out.push(`status ${res.status}`);
  for (const re of STACK) if (re.test(res.text)) out.push(`stack or file path in body (${re.source.slice(0, 24)})`);
  for (const re of SQL) if (re.test(res.text)) out.push(`SQL text in body (${re.source.slice(0, 24)})`);
  const path = pathOf(req);
  if (res.status < 400 || req.method === 'OPTIONS') return out;
  const contentType = String(res.headers['content-type'] ?? '');
  const body = parse(res.text) as Record<string, unknown> | undefined;
  if (isWorkspace(path)) {
    if (!contentType.includes('application/json') || !body || typeof body !== 'object') {
      out.push(`workspace error not a JSON envelope (${res.status})`);
      return out;
    }
    const keys = Object.keys(body).join(',');
    if (keys !== 'Data,Errors,Warnings,Success') out.push(`workspace envelope keys ${keys}`);
    if (body.Success !== false) out.push('workspace error with Success not false');
    if (body.Data !== null) out.push('workspace error with Data not null');
    const errors = body.Errors as { Code?: unknown }[] | undefined;
    if (!Array.isArray(errors) || errors.length === 0) out.push('workspace error without Errors');
    else for (const e of errors) if (typeof e.Code !== 'string' || !PASCAL.test(e.Code)) out.push(`workspace error Code ${String(e.Code)}`);
  } else if (isAuthStyle(path)) {
    if (!contentType.includes('application/json') || !body || typeof body !== 'object') {
      out.push(`auth error not JSON (${res.status})`);
      return out;
    }
    if (body.statusCode !== res.status) out.push(`auth error statusCode ${String(body.statusCode)} on a ${res.status}`);
    if (typeof body.code !== 'string' || !UPPER_SNAKE.test(body.code)) out.push(`auth error code ${String(body.code)}`);
    if (typeof body.message !== 'string') out.push('auth error without message');
  }
  return out;
}
