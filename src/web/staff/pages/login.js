import { h, replace, uid } from '/assets/dom.js';
import { t } from '/assets/i18n.js';
import { signIn } from '../session.js';

/** Staff sign-in. */
export function loginPage(main, { onSignedIn }) {
  const userId = uid('user');
  const passId = uid('pass');
  const message = h('p.error', { role: 'alert', 'aria-live': 'assertive' });
  const form = h(
    'form.card.narrow',
    {
      onsubmit: async (e) => {
        e.preventDefault();
        message.textContent = '';
        try {
          onSignedIn(await signIn(form.username.value.trim(), form.password.value));
        } catch (err) {
          message.textContent = err.message;
        }
      },
    },
    h('h1', { text: t('loginTitle') }),
    h('div.field', {}, h('label', { for: userId, text: t('username') }), h('input', { id: userId, name: 'username', autocomplete: 'username', required: true, autofocus: true })),
    h('div.field', {}, h('label', { for: passId, text: t('password') }), h('input', { id: passId, name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    message,
    h('button.primary', { type: 'submit', text: t('signIn') }),
  );
  replace(main, form);
  form.username.focus();
}
