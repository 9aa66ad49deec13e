import { Inject } from '@nestjs/common';
import type { Environment } from './environment';

export interface JwtKey {
  kid: string;
  secret: string;
}

/** Typed, resolved configuration. Built once at start-up from the validated environment. */
export interface AppConfig {
  env: Environment['NODE_ENV'];
  port: number;
  host: string;
  dataDir: string;
  database: { url: string; poolSize: number };
  jwt: { current: JwtKey; previous: JwtKey[]; issuer: string; audience: string };
  bcryptCost: number;
  refreshGraceSeconds: number;
  sessionAbsoluteHours: number;
  sessionCacheMs: number;
  impersonation: { tokenTtlSeconds: number; sessionMaxMinutes: number };
  workos: {
    apiKey?: string;
    clientId?: string;
    hostname: string;
    port?: number;
    https: boolean;
    timeoutMs: number;
    maxRetries: number;
  };
  /** `null` means the development default: any http://localhost address. */
  ssoRedirectUris: string[] | null;
  redisUrl?: string;
  /** Failed-login throttling (src/throttle); unset fields take the contract's defaults. */
  throttle?: { ipFailuresPerHour?: number; redisKeyPrefix?: string };
  /** `null` means no proxy is trusted: the client IP is the socket's. */
  trustProxy: string[] | null;
  corsOrigins: string[];
  logLevel: string;
  demoEnabled: boolean;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
export const InjectConfig = () => Inject(APP_CONFIG);

export const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
