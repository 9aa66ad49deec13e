/**
 * The demo's account pages: forgot password, the reset and invitation links
 * (/demo/reset-password?token=…, /demo/accept-invitation?token=…), my sessions,
 * change password, and for an admin the user list with invite, deactivate and role change.
 */
import { AuthApiError, AuthClient, AuthSnapshot } from '../src';
import { $, field, show } from './dom';

type Describe = (err: unknown) => string;

const say = (id: string, message: string, isError = false) => {
  const el = $(id);
  el.textContent = message;
  el.classList.toggle('error', isError);
  el.hidden = false;
};
const cell = (value: string): HTMLTableCellElement => {
  const td = document.createElement('td');
  td.textContent = value;
  return td;
};
const button = (label: string, testid: string, onClick: () => void): HTMLButtonElement => {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.dataset.testid = testid;
  b.addEventListener('click', onClick);
  return b;
};

/** WEAK_PASSWORD names each rule broken: show them, not just the summary. */
function describeAccountError(err: unknown, describe: Describe): string {
  if (err instanceof AuthApiError && err.code === 'WEAK_PASSWORD') {
    const errors = (err.body as { errors?: { message: string }[] }).errors ?? [];
    return `Too weak: ${errors.map((e) => e.message).join('; ')}`;
  }
  return describe(err);
}

/** Which link brought the user here, if any. */
function linkPage(): { kind: 'reset' | 'invitation'; token: string } | null {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return null;
  if (location.pathname.endsWith('/reset-password')) return { kind: 'reset', token };
  if (location.pathname.endsWith('/accept-invitation')) return { kind: 'invitation', token };
  return null;
}

export function wireAccounts(client: AuthClient, describe: Describe): { render(snapshot: AuthSnapshot): void } {
  const link = linkPage();
  let signedIn = false;
  let adminOrg: string | null = null;

  const backToSignIn = (notice: string) => {
    history.replaceState(null, '', location.pathname.replace(/\/(reset-password|accept-invitation)$/, '/'));
    show('set-password', false);
    show('forgot', false);
    say('account-notice', notice);
  };

  if (link) {
    show('set-password', true);
    $('set-password-title').textContent = link.kind === 'invitation' ? 'Accept your invitation: choose a password' : 'Choose a new password';
    show('set-password-email-label', link.kind === 'invitation');
  }
  $<HTMLFormElement>('set-password-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!link) return;
    const form = event.target as HTMLFormElement;
    show('set-password-error', false);
    const newPassword = field(form, 'newPassword');
    const done =
      link.kind === 'invitation' && field(form, 'email')
        ? client.acceptInvitation({ token: link.token, email: field(form, 'email'), newPassword })
        : client.resetPassword({ token: link.token, newPassword });
    done.then(
      () => backToSignIn(link.kind === 'invitation' ? 'Welcome! Your password is set.' : 'Your password is set: sign in with it.'),
      (err: unknown) => say('set-password-error', describeAccountError(err, describe), true),
    );
  });

  $('forgot-link').addEventListener('click', (event) => {
    event.preventDefault();
    show('forgot', true);
  });
  $<HTMLFormElement>('forgot-form').addEventListener('submit', (event) => {
    event.preventDefault();
    show('forgot-error', false);
    client.requestPasswordReset(field(event.target as HTMLFormElement, 'email')).then(
      () => backToSignIn('If that email belongs to an account, a reset link is on its way.'),
      (err: unknown) => say('forgot-error', describe(err), true),
    );
  });

  async function loadSessions(): Promise<void> {
    show('sessions-error', false);
    try {
      const sessions = await client.listSessions();
      const tbody = $('my-sessions').querySelector('tbody') as HTMLTableSectionElement;
      tbody.replaceChildren(
        ...sessions.map((s) => {
          const tr = document.createElement('tr');
          tr.dataset.testid = 'my-session';
          tr.dataset.current = String(s.current);
          const how = s.impersonator ? `impersonation by ${s.impersonator.email}` : s.method;
          tr.append(
            cell(new Date(s.createdAt).toLocaleString()),
            cell(s.current ? `${how} (this one)` : how),
            cell(`${s.ip ?? ''} ${s.userAgent ?? ''}`.trim()),
            cell(new Date(s.lastActivityAt).toLocaleTimeString()),
          );
          const actions = document.createElement('td');
          actions.append(button(s.current ? 'Sign out' : 'End', 'end-session', () => void client.endSession(s.id).then(loadSessions, showSessionsError)));
          tr.append(actions);
          return tr;
        }),
      );
    } catch (err) {
      showSessionsError(err);
    }
  }
  const showSessionsError = (err: unknown) => say('sessions-error', describe(err), true);
  $('sessions-reload').addEventListener('click', () => void loadSessions());
  $('revoke-others').addEventListener('click', () => void client.endOtherSessions().then(loadSessions, showSessionsError));

  $<HTMLFormElement>('change-password-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    client.changePassword({ currentPassword: field(form, 'currentPassword'), newPassword: field(form, 'newPassword') }).then(
      () => {
        form.reset();
        say('change-password-result', 'Password changed. Your other sessions have been signed out.');
        void loadSessions();
      },
      (err: unknown) => say('change-password-result', describeAccountError(err, describe), true),
    );
  });

  async function loadUsers(): Promise<void> {
    if (!adminOrg) return;
    const orgId = adminOrg;
    show('users-error', false);
    try {
      const page = await client.call('GET /api/organizations/{orgId}/users', { path: { orgId }, query: { limit: 200 } });
      const tbody = $('users').querySelector('tbody') as HTMLTableSectionElement;
      const me = client.snapshot().user?.id;
      tbody.replaceChildren(
        ...page.items.map((u) => {
          const tr = document.createElement('tr');
          tr.dataset.testid = 'user-row';
          tr.dataset.email = u.email;
          tr.dataset.status = u.status;
          tr.append(cell(`${u.fullName} <${u.email}>`), cell(u.accessRole), cell(u.status));
          const actions = document.createElement('td');
          const update = (body: { active?: boolean; accessRole?: 'ADMIN' | 'MEMBER' }) =>
            void client.call('PATCH /api/organizations/{orgId}/users/{userId}', { path: { orgId, userId: u.id }, body }).then(loadUsers, showUsersError);
          if (u.id !== me) {
            actions.append(
              u.active ? button('Deactivate', 'deactivate', () => update({ active: false })) : button('Reactivate', 'reactivate', () => update({ active: true })),
              button(u.accessRole === 'ADMIN' ? 'Make member' : 'Make admin', 'toggle-role', () =>
                update({ accessRole: u.accessRole === 'ADMIN' ? 'MEMBER' : 'ADMIN' }),
              ),
            );
          }
          tr.append(actions);
          return tr;
        }),
      );
    } catch (err) {
      showUsersError(err);
    }
  }
  const showUsersError = (err: unknown) => say('users-error', describe(err), true);

  $<HTMLFormElement>('invite-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!adminOrg) return;
    const form = event.target as HTMLFormElement;
    const role = field(form, 'accessRole') === 'ADMIN' ? 'ADMIN' : 'MEMBER';
    const body = { email: field(form, 'email'), firstName: field(form, 'firstName'), lastName: field(form, 'lastName'), accessRole: role } as const;
    client.call('POST /api/organizations/{orgId}/users', { path: { orgId: adminOrg }, body }).then(
      (created) => {
        form.reset();
        say('invite-result', `Invitation sent to ${created.user.email}.`);
        void loadUsers();
      },
      (err: unknown) => say('invite-result', describe(err), true),
    );
  });

  return {
    render(snapshot: AuthSnapshot) {
      const nowSignedIn = snapshot.status === 'signed-in';
      if (nowSignedIn) {
        show('forgot', false);
        show('account-notice', false);
      }
      if (nowSignedIn && !signedIn) void loadSessions();
      signedIn = nowSignedIn;
      const org = nowSignedIn && snapshot.user?.accessRole === 'ADMIN' && !snapshot.impersonator ? (snapshot.user.organizationId ?? null) : null;
      if (org && org !== adminOrg) {
        adminOrg = org;
        void loadUsers();
      }
      adminOrg = org;
    },
  };
}
