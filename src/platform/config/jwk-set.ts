import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';

/** The algorithms a token may be signed with (`JWT_ALGORITHM`). HS256 is the seed's and the default. */
export const JWT_ALGORITHMS = ['HS256', 'EdDSA', 'ES256', 'RS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];
export type AsymmetricAlgorithm = Exclude<JwtAlgorithm, 'HS256'>;
export const ASYMMETRIC_ALGORITHMS: readonly AsymmetricAlgorithm[] = ['EdDSA', 'ES256', 'RS256'];

export const isAsymmetric = (alg: unknown): alg is AsymmetricAlgorithm =>
  typeof alg === 'string' && (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg);

/** A private JWK of `JWT_PRIVATE_KEYS` (README's configuration table): `kid` and `alg` always present. */
export interface PrivateJwk extends JsonWebKey {
  kid: string;
  alg: AsymmetricAlgorithm;
}

/** RSA keys shorter than this are refused (NIST SP 800-57: 2048 bits is the floor for RS256 today). */
const MIN_RSA_BITS = 2048;

/** Whether `key` is of the type `alg` signs with; the reason when it is not. */
function keyTypeProblem(alg: AsymmetricAlgorithm, key: KeyObject): string | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (alg === 'EdDSA') return key.asymmetricKeyType === 'ed25519' ? undefined : 'EdDSA needs an Ed25519 key (kty "OKP", crv "Ed25519")';
  if (alg === 'ES256') {
    return key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1' ? undefined : 'ES256 needs a P-256 key (kty "EC", crv "P-256")';
  }
  if (key.asymmetricKeyType !== 'rsa') return 'RS256 needs an RSA key (kty "RSA")';
  return (details.modulusLength ?? 0) >= MIN_RSA_BITS ? undefined : `RS256 needs an RSA key of at least ${MIN_RSA_BITS} bits`;
}

/**
 * Parses and checks a JWK Set of private signing keys. Throws an Error whose message
 * says what is wrong (the caller prefixes the variable's name); never echoes key material.
 */
export function parsePrivateJwkSet(text: string): PrivateJwk[] {
  let set: unknown;
  try {
    set = JSON.parse(text);
  } catch {
    throw new Error('not JSON: expected a JWK Set, {"keys":[…]}');
  }
  const keys = (set as { keys?: unknown } | null)?.keys;
  if (set === null || typeof set !== 'object' || !Array.isArray(keys) || keys.length === 0) {
    throw new Error('expected a JWK Set with at least one key, {"keys":[…]}');
  }
  const seen = new Set<string>();
  return keys.map((jwk: unknown, index): PrivateJwk => {
    const at = `keys[${index}]`;
    if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) throw new Error(`${at}: not a JSON object`);
    const { kid, alg, use, d } = jwk as Record<string, unknown>;
    if (typeof kid !== 'string' || kid.length === 0 || kid.length > 128) throw new Error(`${at}: "kid" must be a non-empty string`);
    if (seen.has(kid)) throw new Error(`${at}: "kid" ${JSON.stringify(kid)} appears twice`);
    seen.add(kid);
    if (!isAsymmetric(alg)) throw new Error(`${at}: "alg" must be one of ${ASYMMETRIC_ALGORITHMS.join(', ')}`);
    if (use !== undefined && use !== 'sig') throw new Error(`${at}: "use" must be "sig" when present`);
    if (typeof d !== 'string') throw new Error(`${at}: not a private key (no "d")`);
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } catch {
      throw new Error(`${at}: not a valid private JWK`);
    }
    const problem = keyTypeProblem(alg, key);
    if (problem) throw new Error(`${at}: ${problem}`);
    return jwk as PrivateJwk;
  });
}

/** The public members of a key, RFC 7638's order of the required ones: what a thumbprint hashes. */
const THUMBPRINT_MEMBERS: Record<string, string[]> = { OKP: ['crv', 'kty', 'x'], EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'] };

/** The RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key: a `kid` nobody has to choose. */
export function jwkThumbprint(publicJwk: JsonWebKey): string {
  const members = THUMBPRINT_MEMBERS[publicJwk.kty ?? ''] ?? [];
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify((publicJwk as Record<string, unknown>)[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}

/** A fresh private JWK for `alg`, its `kid` the thumbprint of its public part. */
export function generatePrivateJwk(alg: AsymmetricAlgorithm): PrivateJwk {
  const { privateKey } =
    alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = jwkThumbprint(createPublicKey(privateKey).export({ format: 'jwk' }));
  return { ...jwk, kid, alg, use: 'sig' };
}
