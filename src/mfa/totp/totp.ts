import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/**
 * RFC 6238 as every authenticator app reads it: HMAC-SHA-1, 6 digits, 30-second
 * steps, one step of clock drift either way. The algorithm is otplib's; this file
 * only fixes the parameters and the replay rule.
 */
export const TOTP_PERIOD_SECONDS = 30;
/** ±1 step, expressed as otplib's tolerance in seconds. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;
const CODE = /^\d{6}$/;

/** A new base32 secret of 160 bits (RFC 4226 §4 recommends at least 128). */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

/** The `otpauth://` URI the QR code carries. `label` is the account as the app shows it. */
export const otpauthUriOf = (secret: string, issuer: string, label: string): string =>
  generateURI({ issuer, label, secret, algorithm: 'sha1', digits: 6, period: TOTP_PERIOD_SECONDS });

/**
 * The time step a code belongs to, if it is right for `secret` at `nowMs` and newer
 * than `afterTimeStep` (the step of the last code accepted for this factor): a code
 * is accepted at most once, and no older code is accepted after a newer one.
 * null for anything else, including input that is not six digits.
 */
export function matchTotp(secret: string, code: string, nowMs: number, afterTimeStep: number | null): number | null {
  if (!CODE.test(code)) return null;
  const result = verifySync({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterTimeStep !== null ? { afterTimeStep } : {}),
  });
  // The functional API's result type also covers HOTP; a TOTP match carries its time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/** The code an authenticator app shows at `nowMs` (tests and the demo's own checks). */
export const totpCodeAt = (secret: string, nowMs: number): string => generateSync({ secret, epoch: Math.floor(nowMs / 1000) });
