import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { HttpResponse } from '../support/http';
import { signIn } from '../support/sign-in';
import type { TestApp } from '../support/test-app';

export const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, any>; signature: string } {
  const [header, payload, signature] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    signature,
  };
}

const HMAC: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/** A JWT built by hand, so a test can forge exactly the flaw it is about. `alg: none` gets an empty signature. */
export function signJwt(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const digest = HMAC[String(header.alg)];
  const signature = digest ? createHmac(digest, Buffer.from(secret, 'utf8')).update(input).digest('base64url') : '';
  return `${input}.${signature}`;
}

export const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

export const loginUrl = (t: Pick<TestApp, 'url'>) => `${t.url}/api/auth/login`;
export const refreshUrl = (t: Pick<TestApp, 'url'>) => `${t.url}/api/auth/refresh`;
export const logoutUrl = (t: Pick<TestApp, 'url'>) => `${t.url}/api/auth/logout`;
export const meUrl = (t: Pick<TestApp, 'url'>) => `${t.url}/api/auth/me`;

/** A successful password login's whole answer, through the one sign-in of the tests (which fails the test unless 200). */
export async function login(t: Pick<TestApp, 'url'>, email: string, password: string): Promise<HttpResponse> {
  return (await signIn(t, email, password)).res;
}

/** The one error shape of /api/auth: exactly these keys, the status repeated, a code and a message. */
export function assertApiError(res: HttpResponse, status: number, code: string): void {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const keys = Object.keys(res.body);
  assert.deepEqual(keys.filter((k) => k !== 'errors'), ['statusCode', 'code', 'message'], res.text);
  assert.equal(res.body.statusCode, status);
  assert.equal(res.body.code, code, res.text);
  assert.equal(typeof res.body.message, 'string');
  assert.ok(res.body.message.length > 0);
}
