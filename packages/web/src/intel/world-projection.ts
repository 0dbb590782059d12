/** The threat map's drawing: an equirectangular projection into an SVG box, no tiles, no network. */
export const MAP_WIDTH = 720;
export const MAP_HEIGHT = 360;

/** Where a latitude/longitude falls on the map. */
export function project(lat: number, lon: number): { x: number; y: number } {
  const clampedLat = Math.max(-90, Math.min(90, lat));
  const wrappedLon = lon >= -180 && lon <= 180 ? lon : ((((lon + 180) % 360) + 360) % 360) - 180;
  return {
    x: ((wrappedLon + 180) / 360) * MAP_WIDTH,
    y: ((90 - clampedLat) / 180) * MAP_HEIGHT,
  };
}

/** A point's radius from its count (area grows with the count, bounded). */
export function radiusOf(count: number): number {
  return Math.min(18, 3 + Math.sqrt(Math.max(1, count)) * 1.6);
}

/** The map's 1..10 severity as a colour band. */
export function severityBand(severity: number): 'low' | 'medium' | 'high' | 'critical' {
  if (severity >= 9) return 'critical';
  if (severity >= 7) return 'high';
  if (severity >= 4) return 'medium';
  return 'low';
}

/** Graticule lines every 30° as SVG path data. */
export function graticule(): string {
  const parts: string[] = [];
  for (let lon = -180; lon <= 180; lon += 30) {
    const a = project(90, lon);
    const b = project(-90, lon);
    parts.push(`M${a.x},${a.y}L${b.x},${b.y}`);
  }
  for (let lat = -60; lat <= 60; lat += 30) {
    const a = project(lat, -180);
    const b = project(lat, 180);
    parts.push(`M${a.x},${a.y}L${b.x},${b.y}`);
  }
  return parts.join('');
}
