/* Ground measures of drawn shapes: lengths and areas in metres, and snapping by ground distance.
   A local plane around the shape (metres per degree of the WGS84 ellipsoid at its latitude) is
   exact to millimetres over the tens of metres a site spans, and never depends on the zoom. */

/** Metres per degree of latitude and of longitude at a latitude (WGS84 series). */
function metresPerDegree(lat) {
  const p = (lat * Math.PI) / 180;
  return {
    y: 111132.92 - 559.82 * Math.cos(2 * p) + 1.175 * Math.cos(4 * p),
    x: 111412.84 * Math.cos(p) - 93.5 * Math.cos(3 * p),
  };
}

/** A local metric plane around origin: toXY(latlng) -> [x, y] m, toLatLng([x, y]). */
export function plane(origin) {
  const k = metresPerDegree(origin.lat);
  return {
    toXY: (ll) => [(ll.lng - origin.lng) * k.x, (ll.lat - origin.lat) * k.y],
    toLatLng: ([x, y]) => L.latLng(origin.lat + y / k.y, origin.lng + x / k.x),
  };
}

/** Ground distance between two latlngs, metres. */
export function distance(a, b) {
  const [x, y] = plane(a).toXY(b);
  return Math.hypot(x, y);
}

/** Area of a ring of latlngs, m² (shoelace in the local plane). */
export function area(ring) {
  if (ring.length < 3) return 0;
  const pl = plane(ring[0]);
  const xy = ring.map(pl.toXY);
  let s = 0;
  for (let i = 0; i < xy.length; i += 1) {
    const [x1, y1] = xy[i];
    const [x2, y2] = xy[(i + 1) % xy.length];
    s += x1 * y2 - x2 * y1;
  }
  return Math.abs(s) / 2;
}

/** Length of a path of latlngs (closed adds the last edge back to the first), metres. */
export function length(path, closed = false) {
  let s = 0;
  for (let i = 1; i < path.length; i += 1) s += distance(path[i - 1], path[i]);
  if (closed && path.length > 2) s += distance(path[path.length - 1], path[0]);
  return s;
}

/** The nearest point of segment ab to p, all [x, y]. */
function nearestOnSegment(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return [a[0] + t * dx, a[1] + t * dy];
}

/**
 * Where a point snaps to among lines (arrays of latlngs): the nearest point of any edge (a corner
 * when it is the nearest) within maxM metres; null when nothing is that close.
 */
export function snapTarget(ll, lines, maxM) {
  const pl = plane(ll);
  let best = null;
  for (const line of lines) {
    const xy = line.map(pl.toXY);
    for (let i = 1; i < xy.length; i += 1) {
      const q = nearestOnSegment([0, 0], xy[i - 1], xy[i]);
      const d = Math.hypot(q[0], q[1]);
      if (d <= maxM && (!best || d < best.d)) best = { q, d };
    }
  }
  return best && { latlng: pl.toLatLng(best.q), distance_m: best.d };
}

/** The rings (as latlng arrays) of GeoJSON polygon features, for snapping. */
export function ringsOf(featureCollection) {
  const out = [];
  for (const f of featureCollection.features || []) {
    const g = f.geometry;
    if (!g) continue;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    polys.forEach((poly) => poly.forEach((ring) => out.push(ring.map(([x, y]) => L.latLng(y, x)))));
  }
  return out;
}
