/* Result renderings shared by the modes: neighbours (map evidence and list) and fee lists. */

import { el, keepUnits, propertyId } from './dom.js';

const relationColour = (relation) => {
  if (relation === 'adjacent') return '#b2182b';
  return relation === 'opposite' ? '#2166ac' : '#7b3294';
};

/**
 * Say in note (a paragraph before the list, not an item of it) which properties a drawn site stood for: the
 * response's `site`, its `neighbours_of` among its `units`, then the properties it `reaches` into without
 * being their own (their neighbours are heard too), said with reachKeys (the case view: no advice to redraw);
 * hidden when none.
 */
export function renderSiteUnits(note, site, i18n, reachKeys = ['neighbours_reach', 'neighbours_reach_many']) {
  const whole = (site?.units || []).filter((u) => (site.neighbours_of || []).includes(u.property_id));
  const reaches = site?.reaches || [];
  const say = (units, one, many) => {
    if (!units.length) return '';
    const ids = units.map((u) => u.property_id_short).join(', ');
    return i18n.t(units.length > 1 ? many : one).replace('{ids}', ids);
  };
  const parts = [say(whole, 'neighbours_of', 'neighbours_of_many'), say(reaches, ...reachKeys)];
  note.textContent = parts.filter(Boolean).join(' ');
  note.hidden = !note.textContent;
}

/** Draw each neighbour's evidence into the results layer and, when ul is given, list it there. */
export function renderNeighbours({ list, ul, results, i18n }) {
  if (ul && !list.length) ul.append(el('li', { class: 'note', id: 'no-neighbours' }, i18n.t('no_neighbours')));
  for (const n of list) {
    const colour = relationColour(n.relation);
    if (n.evidence) {
      L.geoJSON(n.evidence, {
        style: { color: colour, weight: 4 }, pmIgnore: true,
        pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 5, color: colour }),
      }).bindTooltip(n.property_id_short).addTo(results);
    }
    if (ul) {
      // a reason that already opens with the relation ("vastapäätä, tien/kadun yli …": the letters use it
      // alone) is not prefixed with it again
      const rel = i18n.relation(n);
      const reason = i18n.reason(n);
      // a unit the drawing lies on is not merely a boundary neighbour: its reason says it all
      const alone = ['reaches', 'manual'].includes(n.reason_code) || reason?.toLowerCase().startsWith(rel.toLowerCase());
      const says = !reason ? rel : alone ? reason : `${rel}: ${reason}`;
      // a class, not a style attribute: the page's CSP allows no inline styles
      ul.append(el('li', { 'data-relation': n.relation, class: `rel rel-${n.relation}` },
        propertyId(n.property_id_short), ' — ', ...keepUnits(says)));
    }
  }
}

/**
 * A hearing's cost as the server counted it: with no letter charged, the reason instead of "0,00 €" (a
 * tariff without a letter fee, the applicant hearing, a case kind the fee is not for); else the amount, and
 * the note (the road authority's letter free) after it.
 */
export function hearingCost(cost, note, i18n) {
  if (!Number(cost) && note) return note;
  return note ? `${i18n.eur(cost)} (${note})` : i18n.eur(cost);
}

/**
 * A fee estimate (lines of {code, item, eur}, then the total) as list items of ul. The server writes each
 * item in the page's language; the items the tariff lacks (missing) are listed with the server's note, so a
 * total of 0,00 € is not read as "free".
 */
export function renderFees(ul, lines, total, i18n, missing = [], note = null) {
  for (const line of lines) ul.append(el('li', { 'data-code': line.code || '' }, `${line.item}: ${i18n.eur(line.eur)}`));
  for (const line of missing) {
    ul.append(el('li', { 'data-code': line.code || '', class: 'not-configured' }, `${line.item}: ${line.note}`));
  }
  if (total == null) { ul.append(el('li', { class: 'not-configured' }, el('strong', {}, `${i18n.t('total')}: ${note || '—'}`))); return; }
  ul.append(el('li', {}, el('strong', {}, `${i18n.t('total')}: ${i18n.eur(total)}`)));
}

const COVERAGE_KINDS = ['parcels', 'plans', 'shore', 'roads', 'buildings'];

/**
 * Which data each check had at the site (the response's `coverage`), one item per kind: checked or
 * "not checked" with the server's reason and the data's source; then the checks not made.
 */
export function renderCoverage(ul, doc, i18n) {
  ul.textContent = '';
  if (!doc || !doc.coverage) return;
  for (const kind of COVERAGE_KINDS) {
    const c = doc.coverage[kind];
    if (!c) continue;
    const state = c.checked ? `✓ ${i18n.t('coverage_checked')}` : `✗ ${i18n.t('coverage_not_checked')}`;
    const source = c.source ? ` (${i18n.t('cov_source')}: ${c.source})` : '';
    ul.append(el('li', { 'data-kind': kind, 'data-checked': String(c.checked), class: c.checked ? 'ok' : 'not-checked' },
      el('strong', {}, i18n.t(`cov_${kind}`)), `: ${state} — ${c.reason}${source}`));
  }
  for (const n of doc.not_checked || []) ul.append(el('li', { class: 'not-checked', 'data-missing': n.data }, n.message));
}

const EVIDENCE_STYLE = { color: '#000', weight: 2, dashArray: '3 3', fillOpacity: 0.1 };

/**
 * A dig check's findings as list items of ul (the server writes them in the page's language), each with
 * its phase, its weight (a blocker, another authority's, to coordinate, …: which one stops the permit)
 * and "report an inaccuracy"; with a map layer, each finding's evidence on it.
 */
export function renderDigFindings(ul, doc, ctx, layer = null) {
  const { i18n } = ctx;
  if (!doc.findings.length) {
    ul.append(doc.all_checked === false
      ? el('li', { class: 'not-checked' }, i18n.t('not_all_checked')) : el('li', { class: 'ok' }, i18n.t('no_findings')));
  }
  for (const f of doc.findings) {
    const props = (f.properties || []).map((p) => p.property_id_short).join(', ');
    const report = { source: 'excavation', code: f.code, municipality: doc.municipality, message: f.message || null };
    ul.append(el('li', { 'data-code': f.code, 'data-phase': String(f.phase), 'data-severity': f.severity || '' },
      `${i18n.t('phase')} ${f.phase} · `, el('strong', {}, i18n.t('sev_' + f.severity, f.severity)), `: ${f.message || ''}`,
      props ? ` (${props})` : '', ' ', reportButton({ ...ctx, report })));
    if (layer && f.evidence) L.geoJSON(f.evidence, { style: { ...EVIDENCE_STYLE }, pmIgnore: true }).addTo(layer);
  }
}

/**
 * A "report an inaccuracy" button for one flag or finding: asks why, then stores the report for the
 * municipality's officers (POST /api/v1/reports).
 */
export function reportButton({ api, i18n, showError, report }) {
  const btn = el('button', { type: 'button', class: 'small report', 'data-action': 'report' }, i18n.t('report_inaccuracy'));
  btn.addEventListener('click', async () => {
    const comment = (window.prompt(i18n.t('report_comment'), '') || '').trim();
    if (!comment) return;
    try {
      await api.post('/api/v1/reports', { ...report, comment });
      btn.disabled = true;
      btn.textContent = i18n.t('report_sent');
    } catch (e) { showError(e); }
  });
  return btn;
}
