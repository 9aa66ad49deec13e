import { AccessRole } from '../identity/users/user.entity';

/** Who in an organization must have a second factor. */
export const MFA_POLICIES = ['none', 'admins', 'all'] as const;
export type MfaPolicy = (typeof MFA_POLICIES)[number];
export const DEFAULT_MFA_POLICY: MfaPolicy = 'none';

export const isMfaPolicy = (value: unknown): value is MfaPolicy => (MFA_POLICIES as readonly unknown[]).includes(value);

/** Whether the policy requires a user with this role to have a second factor. */
export function policyRequiresMfa(policy: MfaPolicy, role: AccessRole): boolean {
  if (policy === 'all') return true;
  if (policy === 'admins') return role === AccessRole.ADMIN;
  return false;
}
