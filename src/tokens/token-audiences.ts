/**
 * Each kind of token has an audience of its own, so none is accepted as another:
 * an impersonation ticket is never a bearer token, a workspace token never reaches /api/auth.
 */
export const audiences = (apiAudience: string) => ({
  access: apiAudience,
  impersonation: `${apiAudience}:impersonation`,
  workspace: `${apiAudience}:workspace`,
  ssoState: `${apiAudience}:sso-state`,
});

export const JWT_ALGORITHM = 'HS256' as const;
