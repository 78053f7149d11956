/* The map's CRS and background map, from /api/v1/config. By default Web Mercator with no background
   (fully usable offline) or an XYZ background (basemap_url). With basemap_tms ETRS-TM35FIN the map runs in
   EPSG:3067 (vendored Proj4Leaflet and proj4js) on the JHS 180 / NLS tile grid, the background is a WMTS in
   that grid, and the vector tiles are asked for in the same grid (?tms=ETRS-TM35FIN), so everything lines up.
   Map zoom zoom_offset + n shows tile matrix level n: zoom numbers mean about the same ground in both maps. */

/** The map's tile matrix (cfg.tile_matrix) when it runs in EPSG:3067; null in Web Mercator. */
function matrixOf(map) {
  return map.options.tileMatrix || null;
}

/** Options for L.map: the EPSG:3067 CRS and its zoom range when the config asks for it; none otherwise. */
export function mapOptions(cfg) {
  const m = cfg && cfg.tile_matrix;
  if (!m) return {};
  const crs = new L.Proj.CRS(m.crs, m.proj4, {
    origin: m.origin,
    resolutions: m.resolutions,
    bounds: L.bounds([m.bounds[0], m.bounds[1]], [m.bounds[2], m.bounds[3]]),
  });
  return { crs, tileMatrix: m, minZoom: m.zoom_offset, maxZoom: m.resolutions.length - 1 };
}

/** The background map of the config, added under everything else; none when no URL is configured. */
export function addBackground(map, cfg) {
  if (!cfg.basemap_url) return null;
  const m = matrixOf(map);
  const opts = { attribution: cfg.basemap_attribution, maxZoom: 19 };
  if (m) {
    // WMTS REST template: {z} TileMatrix (level = map zoom - offset), {y} TileRow, {x} TileCol
    Object.assign(opts, {
      tileSize: m.tile_size, zoomOffset: -m.zoom_offset, minZoom: m.zoom_offset,
      maxNativeZoom: m.zoom_offset + m.max_level, maxZoom: m.resolutions.length - 1, className: 'background-wmts',
    });
  }
  return L.tileLayer(cfg.basemap_url, opts).addTo(map).bringToBack();
}

/** The tile index's path for the map's tile grid. */
export function tileIndexPath(map) {
  const m = matrixOf(map);
  return m ? `/api/v1/tiles?tms=${encodeURIComponent(m.id)}` : '/api/v1/tiles';
}

/**
 * A vector tile URL template for the map's grid: in EPSG:3067 the address's zoom is the tile matrix
 * level ({level}, filled from the map zoom by gridOptions), and the index already named the grid.
 */
export function gridUrl(map, url) {
  return matrixOf(map) ? url.replace('{z}', '{level}') : url;
}

/** Leaflet.VectorGrid options for the index entry t: lowest map zoom and, in EPSG:3067, the level. */
export function gridOptions(map, t) {
  const m = matrixOf(map);
  if (!m) return { minZoom: t.min_zoom };
  return { minZoom: t.min_zoom + m.zoom_offset, level: (d) => d.z - m.zoom_offset };
}
