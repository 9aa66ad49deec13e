import type { ClockSkew } from './clock-skew';
import type { ApiErrorCode } from './types';

/** A non-2xx answer of the API, with the server's stable code when it sent one. */
export class AuthApiError extends Error {
  constructor(
    readonly status: number,
    /** `code` of `/api/auth` errors, or the first `Errors[].Code` of the workspace envelope. */
    readonly code: ApiErrorCode | (string & {}) | undefined,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'AuthApiError';
  }
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  headers: Headers;
  sentAt: number;
  receivedAt: number;
  /** Whether the Date header was readable (cross-origin it needs Access-Control-Expose-Headers). */
  dated: boolean;
}

export interface HttpRequest {
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
  keepalive?: boolean;
  /** Default: what the Http was made with for this path (`credentialsFor`), else `omit`. */
  credentials?: RequestCredentials;
}

/** fetch with JSON in and out, measuring the clock skew on every answer. */
export class Http {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchFn: typeof fetch,
    private readonly skew: ClockSkew,
    private readonly now: () => number,
    /** Which requests carry cookies (the refresh cookie's mode: authgate's `/api/auth/*`); none by default. */
    private readonly credentialsFor: (path: string) => RequestCredentials = () => 'omit',
  ) {}

  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl.replace(/\/$/, '')}${path}`;
  }

  async request(method: string, path: string, options: HttpRequest = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const sentAt = this.now();
    const credentials = options.credentials ?? this.credentialsFor(path);
    const res = await this.fetchFn(this.url(path), { method, headers, body, keepalive: options.keepalive, credentials });
    const receivedAt = this.now();
    const dated = this.skew.observeDateHeader(res.headers.get('date'), sentAt, receivedAt);
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, body: parsed, headers: res.headers, sentAt, receivedAt, dated };
  }
}

/** The error an answer carries, in either of the API's two shapes. */
export function errorOf(answer: HttpAnswer): AuthApiError {
  const body = answer.body as { code?: string; message?: string; Errors?: { Code?: string; Message?: string }[] } | null;
  const first = body && Array.isArray(body.Errors) ? body.Errors[0] : undefined;
  const code = body?.code ?? first?.Code;
  const message = body?.message ?? first?.Message ?? `HTTP ${answer.status}`;
  return new AuthApiError(answer.status, code, message, answer.body);
}
