/**
 * The demo's second factor: the login's extra step (a code, a recovery code, or the
 * enrollment the organization's policy requires), TOTP from the settings with a QR code,
 * recovery codes shown once, and the step-up prompt before impersonation.
 */
import { toDataURL } from 'qrcode';
import { AuthApiError, AuthClient, AuthSnapshot, LoginResult, SecondFactorRequired, StepUpRequired, TotpEnrollment } from '../src';
import { $, field, show } from './dom';

type Describe = (err: unknown) => string;

const say = (id: string, message: string) => {
  $(id).textContent = message;
  show(id, true);
};
const codeOf = (form: HTMLFormElement, name = 'code'): string => field(form, name).trim();

const TITLES: Record<SecondFactorRequired['status'], string> = {
  'mfa-required': 'Two-factor authentication',
  'mfa-enrollment-required': 'Set up two-factor authentication',
  'email-verification-required': 'Verify your email',
};

/** The authenticator entry: a QR code drawn here from the otpauth URI (nothing leaves the page), and the key to type. */
async function showEnrollment(enrollment: TotpEnrollment, img: string, secret: string): Promise<void> {
  $<HTMLImageElement>(img).src = await toDataURL(enrollment.otpauthUri, { width: 200, margin: 1 });
  $(secret).textContent = enrollment.secret;
}

/** Shown once, until "I have saved them": then gone from the page. */
function showRecoveryCodes(codes: readonly string[]): void {
  $('recovery-codes').replaceChildren(
    ...codes.map((code) => {
      const li = document.createElement('li');
      li.textContent = code;
      return li;
    }),
  );
  show('recovery-codes-panel', true);
}

const isStepUp = <T>(outcome: T | StepUpRequired<T>): outcome is StepUpRequired<T> =>
  typeof outcome === 'object' && outcome !== null && 'status' in outcome && outcome.status === 'step-up-required';

export function wireMfa(client: AuthClient, describe: Describe) {
  let pending: SecondFactorRequired | null = null;
  /** Whether this user has an active factor, as far as the page knows: a password login that needed none has none. */
  let enabled: boolean | null = null;
  let wasSignedIn = false;

  const showPending = (step: SecondFactorRequired | null) => {
    pending = step;
    show('signin-form', !step);
    show('second-step', !!step);
    if (!step) return;
    $('second-step-title').textContent = TITLES[step.status];
    $('second-step').dataset.status = step.status;
    $('second-step-message').textContent = step.message;
    show('recovery-login-form', step.status === 'mfa-required');
    show('login-enrollment', false);
    if (step.error) say('second-step-error', describe(step.error));
    else show('second-step-error', false);
    const input = document.querySelector<HTMLInputElement>('#second-step-form input[name=code]');
    if (input) input.value = '';
  };

  /** A login (or one of its steps) ended: signed in, or the next step to show. */
  const afterLogin = (result: LoginResult): void => {
    if (result.status === 'signed-in') return showPending(null);
    if (result.status === 'mfa-enrolled') {
      enabled = true;
      showRecoveryCodes(result.recoveryCodes);
      return showPending(null);
    }
    const first = pending === null;
    showPending(result);
    if (result.status === 'mfa-enrollment-required' && first) {
      result.enroll().then(
        async (enrollment) => {
          await showEnrollment(enrollment, 'login-qr', 'login-secret');
          show('login-enrollment', true);
        },
        (err: unknown) => say('second-step-error', describe(err)),
      );
    } else if (result.status === 'mfa-enrollment-required') {
      show('login-enrollment', true); // the same entry, tried again
    }
  };
  const loginFailed = (err: unknown) => {
    // A dead step token (expired, used, or the fifth wrong code): back to the password.
    if (err instanceof AuthApiError && err.code === 'MFA_TOKEN_INVALID') showPending(null);
    const id = pending ? 'second-step-error' : 'signin-error';
    say(id, describe(err));
  };

  $<HTMLFormElement>('second-step-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!pending) return;
    show('second-step-error', false);
    pending.submitCode(codeOf(event.target as HTMLFormElement)).then(afterLogin, loginFailed);
  });
  $<HTMLFormElement>('recovery-login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (pending?.status !== 'mfa-required') return;
    const form = event.target as HTMLFormElement;
    show('second-step-error', false);
    pending.submitRecoveryCode(codeOf(form, 'recoveryCode')).then((result) => {
      form.reset();
      afterLogin(result);
    }, loginFailed);
  });
  $('second-step-cancel').addEventListener('click', (event) => {
    event.preventDefault();
    showPending(null);
  });
  $('recovery-codes-done').addEventListener('click', () => {
    $('recovery-codes').replaceChildren();
    show('recovery-codes-panel', false);
  });

  // Settings: enroll, confirm, and with a code: new recovery codes, a fresh proof, or off.
  const renderSettings = () => {
    $('mfa-state').textContent =
      enabled === true ? 'On: signing in asks for a code from your authenticator app.' : enabled === false ? 'Off.' : '';
    $('mfa-state').dataset.state = enabled === null ? 'unknown' : enabled ? 'on' : 'off';
    show('mfa-enroll', enabled !== true);
    show('mfa-manage-form', enabled !== false);
    if (enabled === true) show('mfa-enrollment', false);
  };
  const settingsFailed = (err: unknown) => say('mfa-result', describe(err));
  $('mfa-enroll').addEventListener('click', () => {
    show('mfa-result', false);
    client.enrollTotp().then(
      async (enrollment) => {
        await showEnrollment(enrollment, 'mfa-qr', 'mfa-secret');
        show('mfa-enrollment', true);
      },
      (err: unknown) => {
        if (err instanceof AuthApiError && err.code === 'MFA_ALREADY_ENABLED') {
          enabled = true;
          renderSettings();
        }
        settingsFailed(err);
      },
    );
  });
  $<HTMLFormElement>('mfa-confirm-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    show('mfa-result', false);
    client.confirmTotp(codeOf(form)).then((codes) => {
      form.reset();
      $<HTMLImageElement>('mfa-qr').removeAttribute('src');
      $('mfa-secret').textContent = '';
      enabled = true;
      renderSettings();
      showRecoveryCodes(codes);
      say('mfa-result', 'Two-factor authentication is on.');
    }, settingsFailed);
  });
  $<HTMLFormElement>('mfa-manage-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const action = (event.submitter as HTMLButtonElement | null)?.value;
    const code = codeOf(form);
    show('mfa-result', false);
    const done = () => form.reset();
    if (action === 'regenerate') {
      client.regenerateRecoveryCodes(code).then((codes) => {
        done();
        showRecoveryCodes(codes);
        say('mfa-result', 'New recovery codes: the old ones no longer work.');
      }, settingsFailed);
    } else if (action === 'disable') {
      client.disableTotp(code).then(() => {
        done();
        enabled = false;
        renderSettings();
        say('mfa-result', 'Two-factor authentication is off.');
      }, settingsFailed);
    } else {
      client.stepUp(code).then(() => {
        done();
        say('mfa-result', 'Verified: admin actions are open for 15 minutes.');
      }, settingsFailed);
    }
  });

  /**
   * The step-up prompt: resolves with the action's result once a code was accepted, or
   * null when the user cancels. A wrong code keeps the prompt open with the reason.
   */
  function askForStepUp<T>(first: StepUpRequired<T>): Promise<T | null> {
    const dialog = $<HTMLDialogElement>('step-up');
    const form = $<HTMLFormElement>('step-up-form');
    let step = first;
    $('step-up-message').textContent = step.message;
    show('step-up-error', false);
    form.reset();
    dialog.showModal();
    return new Promise((resolve) => {
      const finish = (value: T | null) => {
        form.removeEventListener('submit', onSubmit);
        $('step-up-cancel').removeEventListener('click', onCancel);
        dialog.close();
        resolve(value);
      };
      const onCancel = () => finish(null);
      const onSubmit = (event: Event) => {
        event.preventDefault();
        show('step-up-error', false);
        step.prove(codeOf(form)).then(
          (outcome) => {
            if (!isStepUp(outcome)) return finish(outcome);
            step = outcome;
            form.reset();
            say('step-up-error', step.error ? describe(step.error) : step.message);
          },
          (err: unknown) => say('step-up-error', describe(err)),
        );
      };
      form.addEventListener('submit', onSubmit);
      $('step-up-cancel').addEventListener('click', onCancel);
    });
  }
  // Escape would close the prompt without settling it.
  $<HTMLDialogElement>('step-up').addEventListener('cancel', (event) => event.preventDefault());

  return {
    afterLogin,
    loginFailed,
    askForStepUp,
    render(snapshot: AuthSnapshot) {
      const signedIn = snapshot.status === 'signed-in';
      if (signedIn && !wasSignedIn) {
        // A password login that signed in at once had no factor to ask for; a proved session has one.
        enabled = client.mfaAt ? true : snapshot.method === 'password' ? false : null;
        show('mfa-enrollment', false);
        show('mfa-result', false);
      }
      if (!signedIn) {
        enabled = null;
        show('recovery-codes-panel', false);
        $('recovery-codes').replaceChildren();
      }
      wasSignedIn = signedIn;
      if (signedIn) renderSettings();
    },
  };
}
