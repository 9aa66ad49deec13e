/**
 * The authgate SPA demo: plain TypeScript and the DOM on top of the client. Served at
 * /demo/ when DEMO_ENABLED=true; the browser tests (test/browser) drive it.
 */
import { AuthApiError, AuthClient, AuthSnapshot } from '../src';

declare global {
  interface Window {
    /** For the browser tests and for poking around in the console. */
    authgateDemo?: { client: AuthClient };
  }
}

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
};
const show = (id: string, visible: boolean) => {
  $(id).hidden = !visible;
};
const text = (id: string, value: string) => {
  $(id).textContent = value;
};

const client = new AuthClient();
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

type AuditRow = Record<string, unknown>;
const pick = (row: AuditRow, ...keys: string[]): string => {
  for (const key of keys) {
    const value = key.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as AuditRow)[k] : undefined), row);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value === '' ? '' : String(value);
  }
  return '';
};

async function loadAudit(): Promise<void> {
  show('audit-error', false);
  try {
    const body = (await client.authorized('GET', '/api/auth/impersonations')) as AuditRow[] | { items?: AuditRow[]; data?: AuditRow[] };
    const rows = Array.isArray(body) ? body : (body.items ?? body.data ?? []);
    const tbody = $('audit').querySelector('tbody') as HTMLTableSectionElement;
    tbody.replaceChildren(
      ...rows.map((row) => {
        const tr = document.createElement('tr');
        tr.dataset.testid = 'audit-row';
        const cells = [
          pick(row, 'occurredAt', 'createdAt', 'at'),
          pick(row, 'event', 'type', 'action'),
          pick(row, 'admin.email', 'actor.email', 'adminEmail', 'actorEmail'),
          pick(row, 'target.email', 'targetEmail', 'user.email'),
          pick(row, 'reason', 'detail.reason'),
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
  client.on('change', render);
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
    client.login({ email: formText(form, 'email'), password: formText(form, 'password') }).catch((err: unknown) => {
      text('signin-error', describeError(err));
      show('signin-error', true);
    });
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
    client.startImpersonation(userId, { reason }).catch((err: unknown) => {
      text('impersonate-error', describeError(err));
      show('impersonate-error', true);
    });
  });
  // The dialog's Escape key would close it without staying signed in.
  $<HTMLDialogElement>('idle-warning').addEventListener('cancel', (event) => event.preventDefault());
  setInterval(renderCountdowns, 1000);
  client.start();
}

wire();
