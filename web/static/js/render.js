/* Result renderings shared by the modes: neighbours (map evidence and list) and fee lists. */

import { el } from './dom.js';

const relationColour = (relation) => {
  if (relation === 'adjacent') return '#b2182b';
  return relation === 'opposite' ? '#2166ac' : '#7b3294';
};

/** Draw each neighbour's evidence into the results layer and, when ul is given, list it there. */
export function renderNeighbours({ list, ul, results, i18n }) {
  for (const n of list) {
    const colour = relationColour(n.relation);
    if (n.evidence) {
      L.geoJSON(n.evidence, {
        style: { color: colour, weight: 4 }, pmIgnore: true,
        pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 5, color: colour }),
      }).bindTooltip(n.property_id_short).addTo(results);
    }
    if (ul) {
      // a class, not a style attribute: the page's CSP allows no inline styles
      ul.append(el('li', { 'data-relation': n.relation, class: `rel rel-${n.relation}` },
        `${n.property_id_short} — ${i18n.t('rel_' + n.relation, n.relation)}`, ...(i18n.reason(n) ? [`: ${i18n.reason(n)}`] : [])));
    }
  }
}

/** A fee line's name from the catalogue by its code: "Rakennuslupa, rakennus 1 (asuinrakennus)"; the server's text if unknown. */
export function feeLabel(line, i18n) {
  const name = i18n.t('fee_' + line.code, '');
  if (!name) return line.item;
  const parts = [name];
  if (line.building != null) parts.push(`${i18n.t('building')} ${line.building + 1}`);
  if (line.quantity) parts.push(`× ${line.quantity}`);
  return parts.join(', ');
}

/**
 * A fee estimate (lines of {code, item, eur}, then the total) as list items of ul; the items the
 * municipality's tariff lacks (missing) are listed as such, so a total of 0,00 € is not read as "free".
 */
export function renderFees(ul, lines, total, i18n, missing = []) {
  for (const line of lines) ul.append(el('li', { 'data-code': line.code || '' }, `${feeLabel(line, i18n)}: ${i18n.eur(line.eur)}`));
  for (const line of missing) {
    ul.append(el('li', { 'data-code': line.code || '', class: 'not-configured' }, `${feeLabel(line, i18n)}: ${i18n.t('not_in_tariff')}`));
  }
  ul.append(el('li', {}, el('strong', {}, `${i18n.t('total')}: ${i18n.eur(total)}`)));
}
