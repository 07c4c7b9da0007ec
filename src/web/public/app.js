import { h, replace } from '/assets/dom.js';
import { applyStatic, langSwitch, onLangChange, t } from '/assets/i18n.js';
import { certificateCheck } from './certificate-check.js';
import { preReviewStatus } from './pre-review-status.js';
import { preReviewSubmission } from './pre-review.js';
import { statusLookup } from './status.js';
import { onlineSubmission } from './submit.js';

// The services for enterprises, one per tab; the hash keeps the tab across reloads and the language switch.
const TABS = [
  { id: 'status', label: 'tabStatus', render: statusLookup },
  { id: 'apply', label: 'tabApply', render: onlineSubmission },
  { id: 'pre-review', label: 'tabPreReview', render: preReviewSubmission },
  { id: 'pre-review-status', label: 'tabPreReviewStatus', render: preReviewStatus },
  { id: 'certificate', label: 'tabCertificate', render: certificateCheck },
];

const main = document.getElementById('main');
const tabs = document.getElementById('tabs');

function current() {
  const [id, query = ''] = location.hash.replace(/^#/, '').split('?');
  return { tab: TABS.find((x) => x.id === id) ?? TABS[0], params: new URLSearchParams(query) };
}

function draw() {
  const { tab, params } = current();
  applyStatic();
  replace(tabs, TABS.map((x) => h('a', {
    href: `#${x.id}`,
    role: 'tab',
    id: `tab-${x.id}`,
    'aria-selected': String(x === tab),
    'aria-controls': 'main',
    text: t(x.label),
  })));
  main.setAttribute('role', 'tabpanel');
  main.setAttribute('aria-labelledby', `tab-${tab.id}`);
  tab.render(main, { params, go: (hash) => (location.hash = hash) });
}

langSwitch(document.getElementById('lang'));
onLangChange(draw);
window.addEventListener('hashchange', draw);
draw();
