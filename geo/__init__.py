"""Pure geometry and permit rules: shapely, pyproj and the standard library only."""
