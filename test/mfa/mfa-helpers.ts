import assert from 'node:assert/strict';
import { generateSync } from 'otplib';
import type { DataSource } from 'typeorm';
import type { Organization } from '../../src/identity/organizations/organization.entity';
import { PASSWORD } from '../support/factories';
import type { FakeClock } from '../support/fake-clock';
import { HttpResponse, post, request } from '../support/http';
import type { TestApp } from '../support/test-app';

/** What an authenticator app shows for `secret` at the test clock's time (otplib, as the apps compute it). */
export const codeAt = (secret: string, clock: FakeClock, offsetSteps = 0): string =>
  generateSync({ secret, epoch: Math.floor(clock.nowMs() / 1000) + offsetSteps * 30 });

export const mfaUrl = (t: Pick<TestApp, 'url'>, path = '') => `${t.url}/api/auth/mfa${path}`;

export const passwordLogin = (t: Pick<TestApp, 'url'>, email: string, password = PASSWORD): Promise<HttpResponse> =>
  post(`${t.url}/api/auth/login`, { email, password });

export const secondStep = (t: Pick<TestApp, 'url'>, body: Record<string, unknown>): Promise<HttpResponse> =>
  post(`${t.url}/api/auth/login/mfa`, body);

export const del = (url: string, body: unknown, token: string): Promise<HttpResponse> => request('DELETE', url, body, { token });

/** Signs in (no MFA yet), enrolls and confirms TOTP; returns the secret, the recovery codes and the session's token. */
export async function enrollTotp(t: TestApp, clock: FakeClock, email: string): Promise<{ secret: string; recoveryCodes: string[]; token: string }> {
  const signedIn = await passwordLogin(t, email);
  assert.equal(signedIn.status, 200, signedIn.text);
  const token = signedIn.body.token as string;
  const started = await post(mfaUrl(t, '/totp'), undefined, { token });
  assert.equal(started.status, 200, started.text);
  const secret = started.body.secret as string;
  const confirmed = await post(mfaUrl(t, '/totp/confirm'), { code: codeAt(secret, clock) }, { token });
  assert.equal(confirmed.status, 200, confirmed.text);
  // The next code must come from a later time step: the confirmation used this one.
  clock.advance(30_000);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes, token };
}

/** A correct password of a user with TOTP: the 403 and its `mfa` object. */
export async function mfaTokenFor(t: TestApp, email: string): Promise<string> {
  const res = await passwordLogin(t, email);
  assert.equal(res.status, 403, res.text);
  assert.equal(res.body.code, 'MFA_REQUIRED');
  return res.body.mfa.token as string;
}

export async function setMfaPolicy(db: DataSource, org: Organization, policy: 'none' | 'admins' | 'all'): Promise<void> {
  await db.query(`UPDATE organizations SET mfa_policy = $2 WHERE id = $1`, [org.id, policy]);
}
