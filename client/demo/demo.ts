/**
 * The authgate SPA demo: plain TypeScript and the DOM on top of the client. Served at
 * /demo/ when DEMO_ENABLED=true; the browser tests (test/browser) drive it.
 */
import { AuthApiError, AuthClient, AuthSnapshot } from '../src';
import { $, show } from './dom';
import { wireAccounts } from './accounts';
import { wireMfa } from './mfa';

declare global {
  interface Window {
    /** For the browser tests and for poking around in the console. */
    authgateDemo?: { client: AuthClient };
  }
}

const text = (id: string, value: string) => {
  $(id).textContent = value;
};

// `/demo/?refresh-cookie`: the client's cookie mode, for a server started with REFRESH_TOKEN_COOKIE=true (nothing in localStorage).
const client = new AuthClient({ refreshTokenCookie: new URLSearchParams(location.search).has('refresh-cookie') });
window.authgateDemo = { client };
let refreshes = 0;
let current: AuthSnapshot = client.snapshot();

/** "4:05" for 245 s; "expired" once past. */
function countdown(deadline: number | null): string {
  if (deadline === null) return 'no limit';
  const seconds = Math.ceil((deadline - Date.now()) / 1000);
  if (seconds <= 0) return 'now';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function describeError(err: unknown): string {
  if (err instanceof AuthApiError) return `${err.message} (${err.code ?? err.status})`;
  return err instanceof Error ? err.message : String(err);
}

function renderCountdowns(): void {
  const d = current.deadlines;
  text('idle-countdown', current.sessionConfig?.enabled ? countdown(d.idle) : 'policy disabled');
  const renewal = current.sessionConfig && current.method ? (canRenew() ? 'renews silently before' : 'cannot renew; ends in') : '';
  text('token-countdown', `${renewal} ${countdown(d.accessToken)}`.trim());
  text('session-countdown', countdown(d.session));
  text('skew', `${current.clockSkewMs} ms`);
  if (current.warning) text('warning-countdown', countdown(d.idle));
}

function canRenew(): boolean {
  const p = current.sessionConfig;
  if (!p || !p.enabled || current.method === 'impersonation') return true;
  return current.method === 'sso' ? p.ssoSilentRenewalEnabled : p.passwordSilentRenewalEnabled;
}

function renderPolicy(): void {
  const body = $('policy').querySelector('tbody') as HTMLTableSectionElement;
  body.replaceChildren(
    ...Object.entries(current.sessionConfig ?? {}).map(([key, value]) => {
      const row = document.createElement('tr');
      const name = document.createElement('th');
      const cell = document.createElement('td');
      name.textContent = key;
      cell.textContent = String(value);
      cell.dataset.testid = `policy-${key}`;
      row.append(name, cell);
      return row;
    }),
  );
}

function render(snapshot: AuthSnapshot): void {
  const wasAdminView = !$('admin').hidden;
  current = snapshot;
  const signedIn = snapshot.status === 'signed-in';
  show('signin', !signedIn);
  show('session', signedIn);
  text('status', signedIn ? `Signed in as ${snapshot.user?.email ?? snapshot.workspace?.Email ?? ''}` : 'Signed out');
  if (signedIn) {
    show('logout-reason', false);
    text('user', snapshot.user ? `${snapshot.user.fullName} <${snapshot.user.email}>` : '');
    text('role', snapshot.user?.accessRole ?? '');
    text('method', snapshot.method ?? snapshot.kind ?? '');
    renderPolicy();
  }
  const impersonator = snapshot.impersonator;
  show('impersonation-banner', signedIn && !!impersonator);
  if (impersonator) {
    text('banner-text', `You are impersonating ${snapshot.user?.fullName ?? ''} <${snapshot.user?.email ?? ''}> as ${impersonator.email}.`);
  }
  const adminView = signedIn && snapshot.user?.accessRole === 'ADMIN' && !impersonator;
  show('admin', adminView);
  if (adminView && !wasAdminView) void loadAdminData();
  const dialog = $<HTMLDialogElement>('idle-warning');
  if (snapshot.warning && !dialog.open) dialog.showModal();
  if (!snapshot.warning && dialog.open) dialog.close();
  renderCountdowns();
}

async function loadAdminData(): Promise<void> {
  await Promise.all([loadUsers(), loadAudit()]);
}

async function loadUsers(): Promise<void> {
  const orgId = current.user?.organizationId;
  if (!orgId) return;
  const select = $<HTMLSelectElement>('impersonate-user');
  try {
    const page = await client.call('GET /api/organizations/{orgId}/users', { path: { orgId }, query: { limit: 200 } });
    select.replaceChildren(
      ...page.items
        .filter((u) => u.id !== current.user?.id)
        .map((u) => {
          const option = document.createElement('option');
          option.value = u.id;
          option.textContent = `${u.fullName} <${u.email}> · ${u.accessRole}${u.active ? '' : ' · inactive'}`;
          option.disabled = !u.active || u.accessRole === 'ADMIN';
          return option;
        }),
    );
    const firstAllowed = [...select.options].find((o) => !o.disabled);
    if (firstAllowed) select.value = firstAllowed.value;
  } catch (err) {
    text('impersonate-error', describeError(err));
    show('impersonate-error', true);
  }
}

const formText = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

async function loadAudit(): Promise<void> {
  show('audit-error', false);
  try {
    const page = await client.call('GET /api/auth/impersonations', { query: { limit: 50 } });
    const tbody = $('audit').querySelector('tbody') as HTMLTableSectionElement;
    tbody.replaceChildren(
      ...page.items.map((event) => {
        const tr = document.createElement('tr');
        tr.dataset.testid = 'audit-row';
        tr.dataset.type = event.type;
        const why = typeof event.details.why === 'string' ? ` (${event.details.why})` : '';
        const cells = [
          new Date(event.occurredAt).toLocaleTimeString(),
          `${event.type.replace(/^impersonation\./, '')}${why}`,
          event.actor?.email ?? '',
          event.targetUser?.email ?? '',
          event.reason ?? '',
        ];
        for (const value of cells) {
          const td = document.createElement('td');
          td.textContent = value;
          tr.append(td);
        }
        return tr;
      }),
    );
  } catch (err) {
    text('audit-error', describeError(err));
    show('audit-error', true);
  }
}

function wire(): void {
  const accounts = wireAccounts(client, describeError);
  const mfa = wireMfa(client, describeError);
  client.on('change', (snapshot) => {
    render(snapshot);
    accounts.render(snapshot);
    mfa.render(snapshot);
  });
  client.on('refresh', () => {
    refreshes += 1;
    text('refresh-count', String(refreshes));
  });
  client.on('logout', (event) => {
    const password = document.querySelector<HTMLInputElement>('#signin-form input[name=password]');
    if (password) password.value = '';
    text('logout-reason', `${event.message} (${event.reason})`);
    $('logout-reason').dataset.reason = event.reason;
    show('logout-reason', true);
  });
  client.on('impersonation-ended', () => {
    if (!$('admin').hidden) void loadAudit();
  });

  $<HTMLFormElement>('signin-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    show('signin-error', false);
    client.login({ email: formText(form, 'email'), password: formText(form, 'password') }).then(mfa.afterLogin, mfa.loginFailed);
  });
  $('signout').addEventListener('click', () => void client.logout());
  $('refresh').addEventListener('click', () => void client.refresh());
  $('stay-signed-in').addEventListener('click', () => void client.staySignedIn());
  $('end-impersonation').addEventListener('click', () => void client.endImpersonation());
  $('audit-reload').addEventListener('click', () => void loadAudit());
  $<HTMLFormElement>('impersonate-form').addEventListener('submit', (event) => {
    event.preventDefault();
    show('impersonate-error', false);
    const userId = $<HTMLSelectElement>('impersonate-user').value;
    const reason = $<HTMLInputElement>('impersonate-reason').value;
    client
      .startImpersonation(userId, { reason })
      .then((result) => (result.status === 'step-up-required' ? mfa.askForStepUp(result) : result))
      .then(
        (done) => {
          if (done) $<HTMLInputElement>('impersonate-reason').value = '';
        },
        (err: unknown) => {
          text('impersonate-error', describeError(err));
          show('impersonate-error', true);
        },
      );
  });
  // The dialog's Escape key would close it without staying signed in.
  $<HTMLDialogElement>('idle-warning').addEventListener('cancel', (event) => event.preventDefault());
  setInterval(renderCountdowns, 1000);
  client.start();
}

wire();
