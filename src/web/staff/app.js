import { h, replace } from '/assets/dom.js';
import { applyStatic, langSwitch, onLangChange, t } from '/assets/i18n.js';
import { accountsPage } from './pages/accounts.js';
import { applicationPage } from './pages/application.js';
import { certificatesPage } from './pages/certificates.js';
import { intakePage } from './pages/intake.js';
import { loginPage } from './pages/login.js';
import { preReviewPage } from './pages/pre-review.js';
import { preReviewIntakePage } from './pages/pre-review-intake.js';
import { preReviewsPage } from './pages/pre-reviews.js';
import { statisticsPage } from './pages/statistics.js';
import { worklistPage } from './pages/worklist.js';
import { rectificationsPage } from './pages/rectifications.js';
import { currentSession, signOut } from './session.js';

const CASEWORK = ['clerk', 'reviewer', 'chief', 'leader', 'province-reviewer'];

// Each page names the roles that need it; the others neither see the link nor reach the page.
const PAGES = [
  { path: 'worklist', label: 'navWorklist', roles: CASEWORK, render: worklistPage },
  { path: 'intake', label: 'navIntake', roles: ['clerk'], render: intakePage },
  { path: 'pre-reviews', label: 'navPreReviews', roles: CASEWORK, render: preReviewRoute },
  { path: 'rectifications', label: 'navRectifications', roles: CASEWORK, render: rectificationsPage },
  { path: 'certificates', label: 'navCertificates', roles: CASEWORK, render: certificatesPage },
  { path: 'accounts', label: 'navAccounts', roles: ['admin'], render: accountsPage },
  // After the accounts, so an administrator still starts on them.
  { path: 'statistics', label: 'navStatistics', roles: [...CASEWORK, 'admin'], render: statisticsPage },
  { path: 'applications', roles: CASEWORK, render: applicationPage },
];

// 容缺预审: the list, a clerk's window form (`new`), or one pre-review by id.
function preReviewRoute(main, ctx) {
  if (!ctx.arg) return preReviewsPage(main, ctx);
  return ctx.arg === 'new' && ctx.session.user.role === 'clerk' ? preReviewIntakePage(main) : preReviewPage(main, ctx);
}

const main = document.getElementById('main');

const homeOf = (role) => PAGES.find((p) => p.label && p.roles.includes(role))?.path ?? 'login';

function parseHash() {
  const [path = '', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { path, arg: rest.map(decodeURIComponent).join('/') };
}

function drawChrome(session) {
  const nav = document.getElementById('nav');
  const { path } = parseHash();
  replace(
    nav,
    session
      ? PAGES.filter((p) => p.label && p.roles.includes(session.user.role)).map((p) =>
        h('a', { href: `#/${p.path}`, 'aria-current': p.path === path ? 'page' : null, text: t(p.label) }))
      : [],
  );
  document.getElementById('who').textContent = session ? `${session.user.name} · ${t(`role.${session.user.role}`)} · ${session.user.jurisdiction}` : '';
  document.getElementById('logout').hidden = !session;
  applyStatic();
}

async function route() {
  const session = currentSession();
  const { path, arg } = parseHash();
  drawChrome(session);
  if (!session) {
    if (path !== 'login') return void (location.hash = '#/login');
    return loginPage(main, { onSignedIn: (s) => (location.hash = `#/${homeOf(s.user.role)}`) });
  }
  const page = PAGES.find((p) => p.path === path);
  if (!page) return void (location.hash = `#/${homeOf(session.user.role)}`);
  if (!page.roles.includes(session.user.role)) {
    replace(main, h('h1', { text: t('noAccessTitle') }), h('p.notice', { role: 'alert', text: t('noAccess') }), h('p', {}, h('a', { href: `#/${homeOf(session.user.role)}`, text: t('backHome') })));
    return;
  }
  replace(main, h('p.muted', { text: t('loading') }));
  try {
    await page.render(main, { session, arg, navigate: (to) => (location.hash = to) });
  } catch (e) {
    replace(main, h('p.error', { role: 'alert', text: e.message }));
  }
  main.querySelector('h1')?.setAttribute('tabindex', '-1');
}

document.getElementById('logout').addEventListener('click', () => {
  signOut();
  location.hash = '#/login';
});
langSwitch(document.getElementById('lang'));
onLangChange(route);
window.addEventListener('hashchange', () => {
  route().then(() => main.querySelector('h1')?.focus());
});
route();
