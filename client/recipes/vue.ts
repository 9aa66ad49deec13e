import { defineComponent, h, onScopeDispose, ref, shallowRef, type PropType, type ShallowRef } from 'vue';
import { AuthApiError, type AuthClient, type AuthSnapshot } from '@authgate/client';

/** The client's snapshot as a ref: shallow, since the snapshot is frozen and replaced whole when something changes. */
export function useAuth(auth: AuthClient): Readonly<ShallowRef<AuthSnapshot>> {
  const snapshot = shallowRef(auth.getSnapshot());
  onScopeDispose(auth.subscribe(() => (snapshot.value = auth.getSnapshot())));
  return snapshot;
}

export const Account = defineComponent({
  props: { auth: { type: Object as PropType<AuthClient>, required: true } },
  setup({ auth }) {
    const snapshot = useAuth(auth);
    const email = ref('');
    const password = ref('');
    const error = ref('');

    const signIn = async (event: Event) => {
      event.preventDefault();
      try {
        const result = await auth.login({ email: email.value, password: password.value });
        error.value = result.status === 'signed-in' ? '' : `next step: ${result.status}`; // see "A second factor"
      } catch (err) {
        error.value = err instanceof AuthApiError ? err.message : String(err);
      }
    };

    return () => {
      const { status, user } = snapshot.value;
      if (status === 'signed-in' && user) {
        return h('p', [
          'Signed in as ',
          h('span', { 'data-testid': 'user' }, `${user.fullName} <${user.email}>`),
          ' ',
          h('button', { 'data-testid': 'signout', onClick: () => void auth.logout() }, 'Sign out'),
        ]);
      }
      return h('form', { 'data-testid': 'signin', onSubmit: (event: Event) => void signIn(event) }, [
        h('input', { type: 'email', 'data-testid': 'email', value: email.value, onInput: (e: Event) => (email.value = (e.target as HTMLInputElement).value) }),
        h('input', { type: 'password', 'data-testid': 'password', value: password.value, onInput: (e: Event) => (password.value = (e.target as HTMLInputElement).value) }),
        h('button', { 'data-testid': 'signin-submit' }, 'Sign in'),
        error.value ? h('p', { 'data-testid': 'signin-error' }, error.value) : null,
      ]);
    };
  },
});
