/** The kinds of JWT the service signs, each checked by the one codec (token-codec.ts). */
export type TokenKind = 'access' | 'workspace' | 'impersonation' | 'ssoState';

/**
 * Each kind of token has an audience of its own, so none is accepted as another:
 * an impersonation ticket is never a bearer token, a workspace token never reaches /api/auth.
 */
export const audiences = (apiAudience: string): Record<TokenKind, string> => ({
  access: apiAudience,
  impersonation: `${apiAudience}:impersonation`,
  workspace: `${apiAudience}:workspace`,
  ssoState: `${apiAudience}:sso-state`,
});
