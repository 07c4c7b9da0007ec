import { h, replace, uid } from '/assets/dom.js';
import { shanghaiDate } from '/assets/format.js';
import { t } from '/assets/i18n.js';
import { catalogItems, jurisdictions } from '../reference.js';
import { staffApi } from '../session.js';

const ROLES = ['clerk', 'reviewer', 'chief', 'leader', 'province-reviewer', 'admin'];

/** 账号管理 (admin): staff accounts, a new account, and switching one on or off. */
export async function accountsPage(main) {
  const [{ items }, places, catalog] = await Promise.all([staffApi('GET', '/api/v1/staff'), jurisdictions(), catalogItems()]);
  // 科室: the catalog's departments, the sections a chief or handler may be given.
  const departments = [...new Set(catalog.map((i) => i.department))].sort();
  const message = h('p', { role: 'status' });
  const field = (name, labelKey, input) => {
    const id = uid(name);
    input.id = id;
    input.name = name;
    return h('div.field', {}, h('label', { for: id, text: t(labelKey) }), input);
  };
  const form = h('form.card', {
    'aria-labelledby': 'new-account-h',
    onsubmit: async (e) => {
      e.preventDefault();
      const f = e.target;
      try {
        await staffApi('POST', '/api/v1/staff', { username: f.username.value.trim(), name: f.name.value.trim(), role: f.role.value, jurisdiction: f.jurisdiction.value, ...(f.department.value ? { department: f.department.value } : {}), password: f.password.value });
        await accountsPage(main);
      } catch (err) {
        message.className = 'error';
        message.textContent = err.message;
      }
    },
  },
  h('h2#new-account-h', { text: t('newAccount') }),
  h('div.form-grid', {},
    field('username', 'username', h('input', { required: true, pattern: '[a-z0-9._\\-]{2,40}', autocomplete: 'off' })),
    field('name', 'fullName', h('input', { required: true, maxlength: 100 })),
    field('role', 'role', h('select', {}, ROLES.map((r) => h('option', { value: r, text: t(`role.${r}`) })))),
    field('jurisdiction', 'jurisdiction', h('select', {}, places.map((p) => h('option', { value: p.code, text: `${p.code} ${p.name}` })))),
    field('department', 'section', h('select', {}, h('option', { value: '', text: t('allSections') }), departments.map((d) => h('option', { value: d, text: d })))),
    field('password', 'password', h('input', { type: 'password', required: true, minlength: 8, autocomplete: 'new-password' }))),
  message,
  h('button.primary', { type: 'submit', text: t('create') }));

  replace(main,
    h('h1', { text: t('navAccounts') }),
    h('table.grid', {},
      h('thead', {}, h('tr', {}, ['username', 'fullName', 'role', 'jurisdiction', 'section', 'createdOn', 'accountActive'].map((k) => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, items.map((a) => h('tr', { class: a.active ? null : 'muted' },
        h('td', { text: a.username }),
        h('td', { text: a.name }),
        h('td', { text: t(`role.${a.role}`) }),
        h('td', { text: a.jurisdiction }),
        h('td', { text: a.department ?? t('allSections') }),
        h('td', { text: shanghaiDate(a.createdAt) }),
        h('td', {}, h('button.secondary.small', {
          type: 'button',
          'aria-pressed': String(a.active),
          text: a.active ? t('deactivate') : t('activate'),
          'aria-label': `${a.active ? t('deactivate') : t('activate')} ${a.username}`,
          onclick: async () => {
            await staffApi('PATCH', `/api/v1/staff/${encodeURIComponent(a.username)}`, { active: !a.active });
            await accountsPage(main);
          },
        })))))),
    form);
}
