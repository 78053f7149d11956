/* Rajapiste map UI: applicants draw sites, officers get neighbour lists, contractors mark dig areas.
   Everything it loads comes from this server (vendored Leaflet and Leaflet-Geoman). */
'use strict';

const LOCALES = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };
const S = {
  lang: 'fi', t: {}, mode: 'applicant', cfg: null,
  site: null, siteId: null, buildings: [], drawTarget: null,
  officer: { id: null, doc: null, added: [], removed: [] },
  digs: [], lastAnalysis: null, seq: 0,
};
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
};
const tr = (key, fallback) => S.t[key] || fallback || key;
const num = (x, d = 1) => new Intl.NumberFormat(LOCALES[S.lang], { maximumFractionDigits: d, minimumFractionDigits: d }).format(x);
const eur = (x) => new Intl.NumberFormat(LOCALES[S.lang], { style: 'currency', currency: 'EUR' }).format(x);
const day = (iso) => new Date(iso + 'T12:00:00').toLocaleDateString(LOCALES[S.lang]);
const msg = (o) => (S.lang === 'fi' ? (o.message_fi || o.reason_fi) : null) || o.message_en || o.message || o.reason || '';

async function api(path, opts = {}) {
  const r = await fetch(path, opts);
  const ct = r.headers.get('content-type') || '';
  if (!r.ok) {
    const body = ct.includes('json') ? await r.json() : { detail: await r.text() };
    throw body;
  }
  return ct.includes('json') ? r.json() : r.text();
}
const post = (path, body) => api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function showError(err, layer) {
  const box = $('error');
  if (!err) { box.hidden = true; box.textContent = ''; return; }
  const detail = err.detail || err.message || String(err);
  box.hidden = false;
  box.textContent = `${tr('error')}: ${detail}`;
  if (layer && layer.bindTooltip) layer.bindTooltip(detail, { permanent: true, className: 'error-tip' }).openTooltip();
}

/* ---------- i18n ---------- */
async function setLang(lang) {
  S.lang = lang;
  S.t = await api(`/static/i18n/${lang}.json`);
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach((n) => { n.textContent = tr(n.dataset.i18n, n.textContent); });
  document.querySelectorAll('[data-i18n-placeholder]').forEach((n) => { n.placeholder = tr(n.dataset.i18nPlaceholder); });
  $('lang').value = lang;
  rerender();
}

/* ---------- map and layers ---------- */
const map = L.map('map', { zoomControl: true }).setView([60.2, 24.95], 15);
map.pm.setGlobalOptions({ allowSelfIntersection: true, snappable: true, snapDistance: 12 });
const publicColours = { street: '#bdbdbd', park: '#a6d96a', water: '#9ecae1', square: '#d9d9d9', traffic: '#bdbdbd' };
const parcels = L.geoJSON(null, {
  style: (f) => ({ color: '#555', weight: 1, fillOpacity: f.properties.kind === 'public' ? 0.5 : 0.05,
    fillColor: publicColours[f.properties.public_type] || '#fee08b' }),
  onEachFeature: (f, layer) => {
    layer.on('click', () => onParcelClick(f.properties.property_id));
    if (map.getZoom() >= 17) layer.bindTooltip(shortId(f.properties.property_id), { permanent: true, direction: 'center', className: 'parcel-label' });
  },
});
const buildingsLayer = L.geoJSON(null, { style: { color: '#6a3d9a', weight: 1, fillOpacity: 0.3 }, pmIgnore: true, interactive: false });
const plansLayer = L.geoJSON(null, { style: (f) => ({ color: { 'detailed-plan': '#e66101', 'building-area': '#fdb863', 'planning-need': '#b2abd2', 'shore-plan': '#5e3c99', 'master-plan': '#999' }[f.properties.kind] || '#999', weight: 1, fill: false, dashArray: '4 3' }), pmIgnore: true, interactive: false });
const waterLayer = L.geoJSON(null, { style: (f) => (f.properties.kind === 'water' ? { color: '#4393c3', weight: 1, fillColor: '#92c5de', fillOpacity: 0.6 } : { color: '#2166ac', weight: 1, dashArray: '2 4', fillOpacity: 0.05 }), pmIgnore: true, interactive: false });
const worksLayer = L.geoJSON(null, { style: (f) => ({ color: f.properties.status === 'active' ? '#d7301f' : '#fc8d59', weight: 2, fillOpacity: 0.4 }), pmIgnore: true,
  onEachFeature: (f, l) => l.bindTooltip(`#${f.properties.permit_id} ${f.properties.start} – ${f.properties.end}`) });
const resultLayer = L.layerGroup().addTo(map);
[waterLayer, plansLayer, parcels, buildingsLayer, worksLayer].forEach((l) => l.addTo(map));
const layerControl = L.control.layers(null, {
  [tr('layer_parcels', 'Parcels')]: parcels, [tr('layer_buildings', 'Buildings')]: buildingsLayer,
  [tr('layer_plans', 'Plans')]: plansLayer, [tr('layer_water', 'Water')]: waterLayer, [tr('layer_excavations', 'Works')]: worksLayer,
}, { collapsed: true });
layerControl.addTo(map);
L.control.scale({ imperial: false }).addTo(map);

function shortId(pid) {
  if (!pid || pid.length < 14) return pid;
  return [pid.slice(0, 3), pid.slice(3, 6), pid.slice(6, 10), pid.slice(10, 14)].map((x) => String(parseInt(x, 10))).join('-');
}

let loadSeq = 0;
async function loadLayers() {
  const b = map.getBounds();
  const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(6)).join(',');
  const z = map.getZoom();
  const mine = ++loadSeq;
  const get = (name) => api(`/api/v1/layers/${name}?bbox=${bbox}&zoom=${z}`);
  try {
    const [p, bl, pl, w, works] = await Promise.all([get('parcels'), get('buildings'), get('plans'), get('water'),
      api(`/api/v1/excavations?bbox=${bbox}`)]);
    if (mine !== loadSeq) return;
    for (const [layer, data] of [[parcels, p], [buildingsLayer, bl], [plansLayer, pl], [waterLayer, w], [worksLayer, works]]) {
      layer.clearLayers(); layer.addData(data);
    }
    parcels.eachLayer((l) => { if (l.setStyle) l.bringToBack(); });
  } catch (e) { showError(e); }
}
map.on('moveend', loadLayers);

/* ---------- modes ---------- */
function setMode(mode) {
  S.mode = mode;
  document.querySelectorAll('.modes button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.mode === mode)));
  ['applicant', 'officer', 'contractor'].forEach((m) => { $(m).hidden = m !== mode; });
  map.pm.disableDraw();
  resultLayer.clearLayers();
  showError(null);
  rerender();
}
document.querySelectorAll('.modes button').forEach((b) => b.addEventListener('click', () => setMode(b.dataset.mode)));

/* ---------- drawing ---------- */
function startDraw(target, shape) {
  S.drawTarget = target;
  map.pm.enableDraw(shape, { snappable: true, finishOn: null });
}
map.on('pm:create', (e) => {
  const layer = e.layer;
  const target = S.drawTarget;
  S.drawTarget = null;
  if (target === 'site') {
    if (S.site) map.removeLayer(S.site);
    S.site = layer; S.siteId = null;
    layer.setStyle({ color: '#1a9850', weight: 3, fillOpacity: 0.15 });
    layer.on('pm:edit', scheduleAnalysis);
    scheduleAnalysis();
  } else if (target === 'building') {
    layer.setStyle({ color: '#542788', weight: 2, fillOpacity: 0.35 });
    layer.props = { use: $('b-use').value, floor_area_m2: Number($('b-floor').value) || null, height_m: Number($('b-height').value) || null };
    layer.on('pm:edit', scheduleAnalysis);
    S.buildings.push(layer);
    scheduleAnalysis();
  } else if (target === 'dig' || target === 'dig-line') {
    layer.setStyle({ color: '#d7301f', weight: target === 'dig-line' ? 4 : 2, fillOpacity: 0.4 });
    layer.on('pm:edit', scheduleCheck);
    S.digs.push(layer);
    S.phases[S.phase].digs.push(layer);
    scheduleCheck();
  } else {
    map.removeLayer(layer);
  }
});
$('draw-site').addEventListener('click', () => startDraw('site', 'Polygon'));
$('draw-building').addEventListener('click', () => startDraw('building', 'Polygon'));
$('pick-property').addEventListener('click', () => { S.picking = true; $('pick-property').classList.add('active'); });
['b-use', 'b-floor', 'b-height'].forEach((id) => $(id).addEventListener('change', () => {
  const last = S.buildings[S.buildings.length - 1];
  if (last) last.props = { use: $('b-use').value, floor_area_m2: Number($('b-floor').value) || null, height_m: Number($('b-height').value) || null };
  scheduleAnalysis();
}));

async function onParcelClick(pid) {
  if (S.mode === 'applicant' && S.picking) {
    S.picking = false; $('pick-property').classList.remove('active');
    if (S.site) { map.removeLayer(S.site); S.site = null; }
    S.siteId = pid;
    scheduleAnalysis();
  } else if (S.mode === 'officer') {
    openProperty(pid);
  }
}

/* ---------- applicant: live analysis ---------- */
let timer = null;
function scheduleAnalysis() { clearTimeout(timer); timer = setTimeout(runAnalysis, 120); }
async function runAnalysis() {
  if (!S.site && !S.siteId) return;
  const body = { buildings: S.buildings.map((b) => ({ footprint: b.toGeoJSON().geometry, ...b.props })) };
  if (S.siteId) body.property_id = S.siteId; else body.site = S.site.toGeoJSON().geometry;
  const mine = ++S.seq;
  try {
    const doc = await post('/api/v1/analysis/site', body);
    if (mine !== S.seq) return;
    showError(null);
    S.lastAnalysis = doc;
    renderAnalysis();
  } catch (e) {
    if (mine !== S.seq) return;
    showError(e, S.site);
  }
}

function renderAnalysis() {
  const doc = S.lastAnalysis;
  resultLayer.clearLayers();
  ['flags', 'a-neighbours', 'fees'].forEach((id) => { $(id).textContent = ''; });
  $('setbacks').tBodies[0].textContent = '';
  if (!doc) return;
  if (S.siteId) L.geoJSON(doc.site.geometry, { style: { color: '#1a9850', weight: 3, fillOpacity: 0.15 }, pmIgnore: true }).addTo(resultLayer);
  if (!doc.flags.length) $('flags').append(el('li', { class: 'ok' }, tr('no_flags')));
  for (const f of doc.flags) {
    $('flags').append(el('li', { 'data-code': f.code }, el('span', { class: 'flag-code' }, tr('f_' + f.code, f.code)), ': ',
      msg(f), el('br'), el('small', {}, `${f.decision} — ${f.legal_basis}`)));
  }
  for (const s of doc.setbacks) {
    const ok = s.ok;
    $('setbacks').tBodies[0].append(el('tr', { class: ok ? 'ok' : 'fail', 'data-rule': s.rule },
      el('td', {}, `#${s.building + 1}`), el('td', {}, tr('rule_' + s.rule, s.rule)),
      el('td', {}, `${num(s.measured_m, 2)} m`), el('td', {}, `${tr('required')} ${num(s.required_m, 1)} m`),
      el('td', {}, ok ? '✓' : '✗')));
    if (s.evidence) {
      L.geoJSON(s.evidence, { style: { color: ok ? '#1a9850' : '#d73027', weight: 3, dashArray: ok ? null : '6 4',
        className: ok ? 'setback-ok' : 'setback-fail' }, pmIgnore: true })
        .bindTooltip(`${tr('rule_' + s.rule, s.rule)}: ${num(s.measured_m, 2)} m (${tr('required')} ${num(s.required_m, 1)} m)`, { sticky: true })
        .addTo(resultLayer);
    }
  }
  renderNeighbours(doc.neighbours, $('a-neighbours'));
  for (const line of doc.fees.lines) $('fees').append(el('li', {}, `${line.item}: ${eur(line.eur)}`));
  $('fees').append(el('li', {}, el('strong', {}, `${tr('total')}: ${eur(doc.fees.total_eur)}`)));
}

function renderNeighbours(list, ul) {
  for (const n of list) {
    const colour = n.relation === 'adjacent' ? '#b2182b' : n.relation === 'opposite' ? '#2166ac' : '#7b3294';
    if (n.evidence) L.geoJSON(n.evidence, { style: { color: colour, weight: 4 }, pmIgnore: true,
      pointToLayer: (f, ll) => L.circleMarker(ll, { radius: 5, color: colour }) }).bindTooltip(n.property_id_short).addTo(resultLayer);
    if (ul) ul.append(el('li', { 'data-relation': n.relation, style: `border-left:4px solid ${colour};padding-left:.3rem` },
      `${n.property_id_short} — ${tr('rel_' + n.relation, n.relation)}: ${S.lang === 'fi' ? (n.reason_fi || n.reason) : n.reason}`));
  }
}

/* save / load the drawing */
$('save').addEventListener('click', () => {
  const fc = { type: 'FeatureCollection', features: [] };
  if (S.site) fc.features.push({ ...S.site.toGeoJSON(), properties: { role: 'site' } });
  if (S.siteId) fc.features.push({ type: 'Feature', geometry: null, properties: { role: 'site', property_id: S.siteId } });
  S.buildings.forEach((b) => fc.features.push({ ...b.toGeoJSON(), properties: { role: 'building', ...b.props } }));
  const a = el('a', { href: URL.createObjectURL(new Blob([JSON.stringify(fc)], { type: 'application/geo+json' })), download: 'rajapiste-site.geojson' });
  document.body.append(a); a.click(); a.remove();
});
$('load').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (!file) return;
  try {
    const fc = JSON.parse(await file.text());
    clearApplicant();
    for (const f of fc.features || []) {
      const role = (f.properties || {}).role;
      if (role === 'site' && f.properties.property_id) { S.siteId = f.properties.property_id; continue; }
      const layer = L.geoJSON(f).getLayers()[0];
      layer.addTo(map);
      if (role === 'building') { layer.props = { use: f.properties.use || 'dwelling', floor_area_m2: f.properties.floor_area_m2, height_m: f.properties.height_m }; S.buildings.push(layer); } else { S.site = layer; }
    }
    const g = L.featureGroup([S.site, ...S.buildings].filter(Boolean));
    if (g.getLayers().length) map.fitBounds(g.getBounds().pad(0.5));
    scheduleAnalysis();
  } catch (err) { showError({ detail: `${file.name}: ${err.detail || err.message || err}` }); }
  e.target.value = '';
});
function clearApplicant() {
  if (S.site) map.removeLayer(S.site);
  S.buildings.forEach((b) => map.removeLayer(b));
  S.site = null; S.siteId = null; S.buildings = []; S.lastAnalysis = null;
  renderAnalysis(); showError(null);
}
$('clear').addEventListener('click', clearApplicant);

/* ---------- officer ---------- */
$('open-property').addEventListener('click', () => { const q = $('search').value.trim(); if (q) openProperty(q); else $('search').focus(); });
async function openProperty(pid) {
  try {
    const doc = await api(`/api/v1/parcels/${encodeURIComponent(pid)}/neighbours`);
    S.officer = { id: doc.property_id, doc, added: [], removed: [] };
    showError(null);
    const g = L.geoJSON(doc.site.geometry);
    map.fitBounds(g.getBounds().pad(1.5));
    renderOfficer();
  } catch (e) { showError(e); }
}
function officerRows() {
  const o = S.officer;
  if (!o.doc) return [];
  const removed = new Set(o.removed.map((r) => r.property_id));
  return o.doc.neighbours.filter((n) => !removed.has(n.property_id)).concat(o.added.map((a) => ({
    property_id: a.property_id, property_id_short: a.property_id, relation: 'manual', reason: a.reason, reason_fi: a.reason, owners: [] })));
}
function renderOfficer() {
  const o = S.officer;
  resultLayer.clearLayers();
  const body = $('o-table').tBodies[0];
  body.textContent = '';
  if (!o.doc) return;
  L.geoJSON(o.doc.site.geometry, { style: { color: '#1a9850', weight: 3, fillOpacity: 0.2 }, pmIgnore: true }).addTo(resultLayer);
  const rows = officerRows();
  renderNeighbours(rows, null);
  $('o-title').textContent = `${o.doc.property_id_short} — ${o.doc.legal_basis}`;
  for (const n of rows) {
    const owners = (n.owners || []).map((w) => w.name + (w.contact_name ? ` (${w.contact_name})` : '')).join('; ');
    const btn = el('button', { onclick: () => {
      const reason = window.prompt(tr('reason'), '');
      if (!reason) return;
      if (n.relation === 'manual') o.added = o.added.filter((a) => a.property_id !== n.property_id);
      else o.removed.push({ property_id: n.property_id, reason });
      renderOfficer();
    } }, tr('remove'));
    btn.setAttribute('aria-label', `${tr('remove')} ${n.property_id_short}`);
    body.append(el('tr', { 'data-relation': n.relation }, el('td', {}, n.property_id_short), el('td', {}, tr('rel_' + n.relation, n.relation)),
      el('td', {}, S.lang === 'fi' ? (n.reason_fi || n.reason) : n.reason), el('td', {}, owners || '—'), el('td', {}, btn)));
  }
  const t = o.doc.totals;
  $('o-totals').textContent = `${tr('letters')}: ${t.letters} · ${tr('cost')}: ${eur(t.hearing_cost_eur)} · ${tr('deadline')}: ${day(t.hearing_deadline)} · ${tr('earliest')}: ${day(t.earliest_decision_date)}`;
}
$('add-btn').addEventListener('click', () => {
  const id = $('add-id').value.trim(); const reason = $('add-reason').value.trim();
  if (!id || !reason || !S.officer.doc) { showError({ detail: `${tr('property')} + ${tr('reason')}` }); return; }
  S.officer.added.push({ property_id: id, reason });
  $('add-id').value = ''; $('add-reason').value = '';
  showError(null); renderOfficer();
});
$('export-csv').addEventListener('click', () => {
  const rows = officerRows();
  const q = (s) => `"${String(s ?? '').replace(/"/g, '""')}"`;
  const lines = [['property_id', 'relation', 'reason', 'owners'].join(',')].concat(rows.map((n) => [q(n.property_id_short), q(n.relation),
    q(n.reason), q((n.owners || []).map((w) => w.name).join('; '))].join(',')));
  const a = el('a', { href: URL.createObjectURL(new Blob(['\ufeff' + lines.join('\r\n')], { type: 'text/csv' })), download: `naapurit-${S.officer.id}.csv` });
  document.body.append(a); a.click(); a.remove();
});
$('package').addEventListener('click', async () => {
  const o = S.officer;
  if (!o.doc) return;
  try {
    const html = await post('/api/v1/hearing/package', { property_id: o.id, lang: S.lang, added: o.added, removed: o.removed });
    const w = window.open('', '_blank');
    if (w) { w.document.open(); w.document.write(html); w.document.close(); }
  } catch (e) { showError(e); }
});

/* ---------- contractor ---------- */
const today = new Date();
const iso = (d) => d.toISOString().slice(0, 10);
const PHASE_FIELDS = { start: 'c-start', end: 'c-end', on_carriageway: 'c-carriageway', traffic_plan: 'c-plan', width_m: 'c-width' };
S.phases = [{ start: iso(new Date(today.getTime() + 10 * 86400000)), end: iso(new Date(today.getTime() + 20 * 86400000)),
  on_carriageway: false, traffic_plan: '', width_m: 1.0, digs: [] }];
S.phase = 0;
function showPhase() {
  const ph = S.phases[S.phase];
  for (const [k, id] of Object.entries(PHASE_FIELDS)) {
    if ($(id).type === 'checkbox') $(id).checked = ph[k]; else $(id).value = ph[k] ?? '';
  }
  $('c-phase-n').textContent = String(S.phase + 1);
  $('c-phase').textContent = '';
  S.phases.forEach((_, i) => $('c-phase').append(el('option', { value: String(i) }, String(i + 1))));
  $('c-phase').value = String(S.phase);
}
function storePhase() {
  const ph = S.phases[S.phase];
  for (const [k, id] of Object.entries(PHASE_FIELDS)) {
    ph[k] = $(id).type === 'checkbox' ? $(id).checked : (k === 'width_m' ? Number($(id).value) || null : $(id).value);
  }
}
showPhase();
$('c-phase').addEventListener('change', (e) => { storePhase(); S.phase = Number(e.target.value); showPhase(); });
$('c-add-phase').addEventListener('click', () => {
  storePhase();
  const last = S.phases[S.phases.length - 1];
  const start = new Date(last.end + 'T12:00:00'); start.setDate(start.getDate() + 1);
  const end = new Date(start); end.setDate(end.getDate() + 7);
  S.phases.push({ ...last, start: iso(start), end: iso(end), digs: [] });
  S.phase = S.phases.length - 1; showPhase();
});
$('draw-dig').addEventListener('click', () => startDraw('dig', 'Polygon'));
$('draw-dig-line').addEventListener('click', () => startDraw('dig-line', 'Line'));
$('c-clear').addEventListener('click', () => {
  S.digs.forEach((d) => map.removeLayer(d)); S.digs = []; S.phases.forEach((ph) => { ph.digs = []; });
  S.lastCheck = null; renderCheck(); showError(null);
});
['c-start', 'c-end', 'c-carriageway', 'c-plan', 'c-width', 'c-emergency'].forEach((id) => $(id).addEventListener('change', () => { storePhase(); scheduleCheck(); }));
let ctimer = null;
function scheduleCheck() { clearTimeout(ctimer); ctimer = setTimeout(runCheck, 120); }
function digBody() {
  storePhase();
  return { kind: 'excavation', emergency: $('c-emergency').checked,
    phases: S.phases.filter((ph) => ph.digs.length).map((ph) => ({ areas: ph.digs.map((d) => d.toGeoJSON().geometry),
      width_m: ph.width_m, start: ph.start, end: ph.end, on_carriageway: ph.on_carriageway, traffic_plan: ph.traffic_plan || null })) };
}
async function runCheck() {
  if (!S.digs.length) return;
  const mine = ++S.seq;
  try {
    const doc = await post('/api/v1/excavations/check', digBody());
    if (mine !== S.seq) return;
    showError(null); S.lastCheck = doc; renderCheck();
  } catch (e) { if (mine === S.seq) showError(e, S.digs[S.digs.length - 1]); }
}
function renderCheck() {
  const doc = S.lastCheck;
  $('findings').textContent = ''; $('c-fees').textContent = ''; $('c-status').textContent = '';
  resultLayer.clearLayers();
  if (!doc) return;
  $('c-status').textContent = `${num(doc.area_m2, 1)} m² · ${doc.municipality_name} · ${doc.grantable ? tr('grantable') : tr('not_grantable')}`;
  if (!doc.findings.length) $('findings').append(el('li', { class: 'ok' }, tr('no_findings')));
  for (const f of doc.findings) {
    const props = (f.properties || []).map((p) => p.property_id_short).join(', ');
    $('findings').append(el('li', { 'data-code': f.code, 'data-phase': String(f.phase) }, el('span', { class: 'finding-code' }, f.code),
      ` (${tr('phase')} ${f.phase}): `, f.message, props ? ` (${props})` : ''));
    if (f.evidence) L.geoJSON(f.evidence, { style: { color: '#000', weight: 2, dashArray: '3 3', fillOpacity: 0.1 }, pmIgnore: true }).addTo(resultLayer);
  }
  for (const line of doc.fee.lines) $('c-fees').append(el('li', {}, `${line.item}: ${eur(line.eur)}`));
  $('c-fees').append(el('li', {}, el('strong', {}, `${tr('total')}: ${eur(doc.fee.total_eur)}`)));
}
$('submit').addEventListener('click', async () => {
  if (!S.digs.length) return;
  try {
    const doc = await post('/api/v1/excavations', digBody());
    $('submitted').textContent = `${tr('submitted')} ${doc.id}`;
    loadLayers();
  } catch (e) { showError(e); }
});

/* ---------- search ---------- */
$('search-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const q = $('search').value.trim();
  const ul = $('search-results');
  ul.textContent = '';
  if (!q) return;
  try {
    const res = await api(`/api/v1/search?q=${encodeURIComponent(q)}`);
    if (!res.length) { ul.append(el('li', {}, tr('no_results'))); return; }
    for (const r of res) {
      ul.append(el('li', {}, el('button', { type: 'button', onclick: () => {
        ul.textContent = '';
        map.fitBounds(L.geoJSON(r.bbox).getBounds().pad(r.type === 'property' ? 1.5 : 0.1));
        if (r.type === 'property' && S.mode === 'officer') openProperty(r.property_id);
        if (r.type === 'property' && S.mode === 'applicant') { clearApplicant(); S.siteId = r.property_id; scheduleAnalysis(); }
      } }, r.label)));
    }
  } catch (err) { showError(err); }
});

function rerender() {
  if (S.mode === 'applicant') renderAnalysis();
  if (S.mode === 'officer') renderOfficer();
  if (S.mode === 'contractor') renderCheck();
}

/* ---------- start ---------- */
(async function start() {
  const params = new URLSearchParams(location.search);
  S.cfg = await api('/api/v1/config');
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(S.cfg.attribution);
  $('attribution-note').textContent = S.cfg.attribution;
  if (S.cfg.basemap_url) L.tileLayer(S.cfg.basemap_url, { attribution: S.cfg.basemap_attribution, maxZoom: 19 }).addTo(map).bringToBack();
  if (S.cfg.extent) {
    const b = L.geoJSON(S.cfg.extent).getBounds();
    map.setView(b.getCenter(), 16);
  }
  await setLang(params.get('lang') || 'fi');
  if (params.get('mode')) setMode(params.get('mode'));
  $('lang').addEventListener('change', (e) => setLang(e.target.value));
  loadLayers();
  document.body.dataset.ready = '1';
})();
