// The password form of a locked vault, shared by the popup and the Import and export page:
// the field `u-password`, its error `u-password-error` and one submit button.

import { errorText, t } from './i18n.js';

/**
 * Handles the form's submit: unlocks with `unlock(password)` and then calls `unlocked()`;
 * a refusal ("Wrong password"…) is shown under the field, which is selected for a retry.
 * @param {SubmitEvent} event
 * @param {(password: string) => Promise<unknown>} unlock
 * @param {() => void} unlocked
 */
export async function submitPassword(event, unlock, unlocked) {
  event.preventDefault();
  const field = document.getElementById('u-password');
  const error = document.getElementById('u-password-error');
  const button = event.currentTarget.querySelector('[type=submit]');
  error.hidden = true;
  button.disabled = true;
  button.textContent = t('unlocking');
  try {
    await unlock(field.value);
    field.value = '';
    unlocked();
  } catch (failure) {
    error.textContent = errorText(failure);
    error.hidden = false;
    field.select();
  } finally {
    button.disabled = false;
    button.textContent = t('unlock');
  }
}
