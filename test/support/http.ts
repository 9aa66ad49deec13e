export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  token?: string;
  /** A raw body sent as is (for malformed JSON and the like). */
  raw?: string | Buffer;
}

/** A real HTTP request with fetch; the body parsed as JSON when it is JSON. */
export async function request<T = any>(
  method: string,
  url: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<HttpResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | Buffer | undefined;
  if (options.raw !== undefined) payload = options.raw;
  else if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, { method, headers, body: typeof payload === 'string' || payload === undefined ? payload : new Uint8Array(payload) });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text.length > 0) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export const post = <T = any>(url: string, body?: unknown, options?: RequestOptions) => request<T>('POST', url, body, options);
export const get = <T = any>(url: string, options?: RequestOptions) => request<T>('GET', url, undefined, options);
export const put = <T = any>(url: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', url, body, options);
