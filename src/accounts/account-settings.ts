import type { AppConfig } from '../platform/config/app-config';

/** What the accounts feature reads of the configuration, with the defaults of docs/accounts.md's configuration table. */
export interface AccountSettings {
  publicAppUrl: string;
  resetTtlMs: number;
  invitationTtlMs: number;
}

export const DEFAULT_PUBLIC_APP_URL = 'http://localhost:3000/demo';

export const accountSettingsOf = (config: AppConfig): AccountSettings => ({
  publicAppUrl: config.accounts?.publicAppUrl ?? DEFAULT_PUBLIC_APP_URL,
  resetTtlMs: (config.accounts?.resetTokenTtlMinutes ?? 30) * 60_000,
  invitationTtlMs: (config.accounts?.invitationTokenTtlHours ?? 168) * 3_600_000,
});
