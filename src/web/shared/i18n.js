import { MESSAGES } from './messages.js';

const KEY = 'permit.lang';
const listeners = new Set();

/** The reader's language: zh-CN unless they chose English. */
export const lang = () => (localStorage.getItem(KEY) === 'en' ? 'en' : 'zh');

/** Switches the language, updates <html lang> and tells every page to draw itself again. */
export function setLang(value) {
  localStorage.setItem(KEY, value === 'en' ? 'en' : 'zh');
  document.documentElement.lang = lang() === 'en' ? 'en' : 'zh-CN';
  for (const listener of listeners) listener();
}

export const onLangChange = (listener) => listeners.add(listener);

/** A message by key, with {name} placeholders filled; unknown keys show the key so gaps are visible. */
export function t(key, vars = {}) {
  const entry = MESSAGES[key];
  const text = entry ? entry[lang() === 'en' ? 1 : 0] : key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (vars[name] ?? `{${name}}`));
}

/** The current language's side of a {zh, en} label from the API. */
export const pick = (label) => (label ? (lang() === 'en' ? label.en || label.zh : label.zh || label.en) : '');

/** Fills [data-i18n] text and [data-i18n-*] attributes in static HTML. */
export function applyStatic(root = document) {
  document.documentElement.lang = lang() === 'en' ? 'en' : 'zh-CN';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
}

/** A button that switches between 中文 and English. */
export function langSwitch(button) {
  const draw = () => {
    button.textContent = lang() === 'en' ? '中文' : 'English';
    button.setAttribute('lang', lang() === 'en' ? 'zh-CN' : 'en');
    button.setAttribute('aria-label', lang() === 'en' ? '切换到中文' : 'Switch to English');
  };
  button.addEventListener('click', () => setLang(lang() === 'en' ? 'zh' : 'en'));
  onLangChange(draw);
  draw();
}
