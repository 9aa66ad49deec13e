import { useState, useSyncExternalStore, type FormEvent } from 'react';
import { AuthApiError, type AuthClient, type AuthSnapshot } from '@authgate/client';

/** The client's snapshot as React state: the same object until something in it changes. */
export function useAuth(auth: AuthClient): AuthSnapshot {
  return useSyncExternalStore(auth.subscribe, auth.getSnapshot);
}

export function Account({ auth }: { auth: AuthClient }) {
  const { status, user } = useAuth(auth);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const result = await auth.login({ email, password });
      setError(result.status === 'signed-in' ? '' : `next step: ${result.status}`); // see "A second factor"
    } catch (err) {
      setError(err instanceof AuthApiError ? err.message : String(err));
    }
  };

  if (status === 'signed-in' && user) {
    return (
      <p>
        Signed in as <span data-testid="user">{`${user.fullName} <${user.email}>`}</span>{' '}
        <button data-testid="signout" onClick={() => void auth.logout()}>Sign out</button>
      </p>
    );
  }
  return (
    <form data-testid="signin" onSubmit={(event) => void signIn(event)}>
      <input type="email" data-testid="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      <input type="password" data-testid="password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <button data-testid="signin-submit">Sign in</button>
      {error && <p data-testid="signin-error">{error}</p>}
    </form>
  );
}
