/**
 * The posture formulas (README "Posture metrics"), pure so they are tested on
 * fixed data. Inputs are real: open alerts, stored events, heartbeats.
 */

/** Alert points per open alert by severity rank (informational … critical) for the posture score. */
export const POSTURE_ALERT_POINTS = [0, 1, 2, 5, 10] as const;

/** Threat level 1–5 from the highest severity rank present (−1: none): none 1, info/low 2, medium 3, high 4, critical 5. */
export function threatLevelFromRank(maxRank: number): number {
  if (maxRank < 0) return 1;
  if (maxRank <= 1) return 2;
  return Math.min(5, maxRank + 1);
}

/** Resource threat level 1–5 of one heartbeat (seed 000's thresholds on CPU and memory). */
export function resourceThreatLevel(cpu: number, memPct: number): number {
  if (cpu > 90 || memPct > 95) return 5;
  if (cpu > 80 || memPct > 85) return 4;
  if (cpu > 70 || memPct > 75) return 3;
  if (cpu > 60 || memPct > 65) return 2;
  return 1;
}

/** True when a heartbeat shows a host under resource pressure. */
export function underPressure(cpu: number, memPct: number, diskPct: number): boolean {
  return cpu > 90 || memPct > 95 || diskPct > 90;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Posture score 0–100 = 100 − alert penalty − coverage penalty − pressure penalty:
 * alert penalty = min(50, Σ points of open alerts); coverage penalty = 30 × offline / live devices;
 * pressure penalty = 20 × online devices under pressure / online devices. Two decimals.
 */
export function postureScore(input: {
  openAlertRanks: readonly number[];
  liveDevices: number;
  onlineDevices: number;
  onlineUnderPressure: number;
}): number {
  const alertPenalty = Math.min(
    50,
    input.openAlertRanks.reduce((s, r) => s + (POSTURE_ALERT_POINTS[clamp(r, 0, 4)] ?? 0), 0),
  );
  const coveragePenalty =
    input.liveDevices > 0 ? (30 * (input.liveDevices - input.onlineDevices)) / input.liveDevices : 0;
  const pressurePenalty =
    input.onlineDevices > 0 ? (20 * input.onlineUnderPressure) / input.onlineDevices : 0;
  return round2(clamp(100 - alertPenalty - coveragePenalty - pressurePenalty, 0, 100));
}

/** Seed 000's per-host security score from resource figures: 100 − 0.3·cpu − 30·memfrac − 0.2·disk, clamped. */
export function hostSecurityScore(cpu: number, memFrac: number, diskPct: number): number {
  return round2(clamp(100 - 0.3 * cpu - 30 * memFrac - 0.2 * diskPct, 0, 100));
}

/** Category of a host, first match wins: open high/critical alert, then seed 000's resource categories. */
export function threatCategory(f: {
  maxOpenRank: number;
  cpu: number;
  memPct: number;
  diskPct: number;
  uptimeS: number | null;
}): string {
  if (f.maxOpenRank >= 3) return 'Active Threat';
  if (f.cpu > 85 && f.memPct > 90) return 'Resource Exhaustion';
  if (f.cpu > 95) return 'CPU Spike Anomaly';
  if (f.memPct > 95) return 'Memory Pressure';
  if (f.diskPct > 95) return 'Storage Critical';
  if (f.uptimeS !== null && f.uptimeS < 3600) return 'Recent Restart';
  return 'Normal Operation';
}

/** Anomaly level of a bucket against the window's median count: 3 above 3×, 2 above 1.5×, else 1. */
export function anomalyLevel(count: number, median: number): number {
  const base = Math.max(1, median);
  if (count > 3 * base) return 3;
  if (count > 1.5 * base) return 2;
  return 1;
}

/** Median of a list (0 for an empty list). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The event class of a logsource category (seed 000's five classes). */
export function eventClass(category: string | null, source: string): string {
  const c = (category ?? '').toLowerCase();
  if (c.startsWith('file')) return 'File Events';
  if (c.startsWith('network') || c === 'firewall' || c.startsWith('dns')) return 'Network Events';
  if (c.startsWith('process') || c === 'image_load') return 'Process Events';
  if (
    c === 'authentication' ||
    c === 'auth' ||
    c === 'antivirus' ||
    source === 'signal' ||
    source.includes('santamon')
  )
    return 'Security Events';
  return 'System Events';
}

export const EVENT_CLASSES = [
  'File Events',
  'Network Events',
  'Process Events',
  'Security Events',
  'System Events',
];

/** Percent used, or 0 when unknown. */
export function pctOf(used: number | null, total: number | null): number {
  return used !== null && total !== null && total > 0 ? (used / total) * 100 : 0;
}
