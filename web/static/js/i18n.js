/* Message catalogues (/static/i18n/{lang}.json) and Finnish, Swedish and English number, euro and date formats. */

const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

/** Put the catalogue's texts into the elements marked data-i18n (text), data-i18n-placeholder and data-i18n-aria (aria-label). */
export function applyCatalogue(root, t) {
  root.querySelectorAll('[data-i18n]').forEach((n) => { n.textContent = t(n.dataset.i18n, n.textContent); });
  root.querySelectorAll('[data-i18n-placeholder]').forEach((n) => { n.placeholder = t(n.dataset.i18nPlaceholder); });
  root.querySelectorAll('[data-i18n-aria]').forEach((n) => { n.setAttribute('aria-label', t(n.dataset.i18nAria)); });
}

/**
 * A reason beside its relation's column without the label it opens with ("vastapäätä, tien/kadun yli …"),
 * a whole word only (as geo.applications.hearing.after_relation).
 */
export function afterRelation(reason, label) {
  const head = reason.slice(0, label.length);
  const next = reason.charAt(label.length);
  if (label && head.toLowerCase() === label.toLowerCase() && ['', ' ', ',', ':'].includes(next)) {
    return reason.slice(label.length).replace(/^[ ,:]+/, '');
  }
  return reason;
}

/**
 * The page's language. setLang(lang) loads the catalogue, relabels the document and then calls
 * every onChange listener in the order they were added.
 */
export function createI18n({ api, root = document }) {
  const state = { lang: 'fi', catalogue: {}, listeners: [], seq: 0 };
  const locale = () => LOCALES[state.lang];
  const t = (key, fallback) => state.catalogue[key] || fallback || key;
  // an error's own words in the page's language where the server gave them in each (`detail_i18n`)
  const detail = (err) => err.detail_i18n?.[state.lang] || err.detail || err.message || String(err);

  async function setLang(asked) {
    const lang = String(asked || '').toLowerCase().slice(0, 2);
    if (!LOCALES[lang]) return setLang('fi'); // a link's ?lang=de or EN: Finnish, not a dead page
    const mine = ++state.seq;
    const catalogue = await api.get(`/static/i18n/${lang}.json`);
    if (mine !== state.seq) return; // a later choice won
    state.lang = lang;
    api.setLang?.(lang);
    state.catalogue = catalogue;
    root.documentElement.lang = lang;
    applyCatalogue(root, t);
    state.listeners.forEach((fn) => fn(lang));
  }

  return {
    get lang() { return state.lang; },
    t,
    setLang,
    onChange: (fn) => { state.listeners.push(fn); },
    num: (x, d = 1) => new Intl.NumberFormat(locale(), { maximumFractionDigits: d, minimumFractionDigits: d }).format(x),
    eur: (x) => new Intl.NumberFormat(locale(), { style: 'currency', currency: 'EUR' }).format(x),
    day: (iso) => new Date(iso + 'T12:00:00').toLocaleDateString(locale()),
    /** A server message: the server writes it in the page's language (every API request carries ?lang=). */
    message: (o) => o.message || '',
    /**
     * An error as the page says it: "Virhe: " and the problem's detail (or the thrown error's message),
     * in the page's language where the server gave it in each (`detail_i18n`): said again after a switch.
     */
    error: (err) => `${t('error')}: ${detail(err)}`,
    detail: (err) => detail(err),
    /** A neighbour's reason as the server wrote it in the page's language (or as the officer typed it). */
    reason: (n) => n.reason || '',
    /**
     * The relation a reader is shown (geo.applications.hearing.shown_relation): a unit the drawn site lies
     * on (a neighbour's reason_code "reaches", an addressee's `reached`) says so, not "adjacent".
     */
    relation: (n) => {
      const shown = n.relation === 'adjacent' && (n.reached || n.reason_code === 'reaches') ? 'reaches' : n.relation;
      return t('rel_' + shown, shown);
    },
  };
}
