/* The search box: properties by id in any form, street addresses ("Joukolantie 15"), streets by name. */

import { $, el } from './dom.js';
import { fitView } from './map.js';

/**
 * Wire the search form. Choosing a result zooms to it; a property is also handed to onProperty(property_id, at),
 * any other place (a street, an address between plots) to onPlace().
 */
export function createSearch({ map, api, i18n, showError, onProperty, onPlace }) {
  const ul = $('search-results');
  const found = L.layerGroup().addTo(map); // the street found, highlighted until the next search

  function choose(r) {
    ul.textContent = '';
    found.clearLayers();
    if (r.geometry) {
      // a street's centrelines, or an address's point on its street (a ring, not an icon image)
      // (GeoJSON restyles every layer it makes, points too: the style says which is which)
      const point = r.geometry.type === 'Point';
      const style = point ? { color: '#b8860b', weight: 4, opacity: 1, className: 'found-address' }
        : { color: '#ffd400', weight: 9, opacity: 0.75, className: 'found-street' };
      L.geoJSON(r.geometry, {
        style, pointToLayer: (_f, at) => L.circleMarker(at, { radius: 9 }), pmIgnore: true, interactive: false,
      }).addTo(found);
    }
    fitView(map, L.geoJSON(r.bbox).getBounds().pad(r.type === 'property' ? 1.5 : 0.1));
    $('search').focus(); // the list and its button are gone (a question about the drawing may take it next)
    // a property, or the plot at an address, with a point inside it (as a click on it would give)
    if (r.property_id) onProperty(r.property_id, r.at ? L.latLng(r.at[1], r.at[0]) : null);
    else onPlace();
  }

  function showResults(res) {
    if (!res.length) { ul.append(el('li', {}, i18n.t('no_results'))); return; }
    for (const r of res) ul.append(el('li', {}, el('button', { type: 'button', onclick: () => choose(r) }, r.label)));
  }

  async function submit(e) {
    e.preventDefault();
    const q = $('search').value.trim();
    ul.textContent = '';
    if (!q) return;
    try {
      showResults(await api.get(`/api/v1/search?q=${encodeURIComponent(q)}`));
    } catch (err) { showError(err); }
  }

  $('search-form').addEventListener('submit', submit);
  // Escape closes the list of results (focus back in the box), as a list that pops up should
  $('search-form').addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !ul.childElementCount) return;
    e.preventDefault();
    e.stopPropagation();
    ul.textContent = '';
    $('search').focus();
  });
}
