import { Link } from 'react-router';
import type { Endpoint } from '../api/endpoints-api.ts';
import type { HttpClient } from '../api/http-client.ts';
import { toPage } from '../api/pages.ts';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { formatNumber } from '../lib/format.ts';

const LEVELS = ['critical', 'high', 'medium'] as const;

/**
 * The riskiest endpoints: the fleet filters by risk level (not sorts by score), so the levels
 * are asked from the top down until `count` endpoints are found, then ordered by score.
 */
export async function riskiestDevices(
  http: HttpClient,
  count: number,
  signal: AbortSignal,
): Promise<Endpoint[]> {
  const found: Endpoint[] = [];
  for (const risk of LEVELS) {
    if (found.length >= count) break;
    const page = toPage<Endpoint>(
      await http.get('/api/v1/devices', { query: { risk, limit: count - found.length }, signal }),
    );
    found.push(...page.items);
  }
  return found.sort((a, b) => (b.risk_score ?? 0) - (a.risk_score ?? 0));
}

export function RiskyDevicesList({ devices }: { devices: Endpoint[] }) {
  if (devices.length === 0) return <p className="muted">No endpoint carries risk right now.</p>;
  return (
    <ul className="recent-list">
      {devices.map((d) => (
        <li key={d.id}>
          <SeverityBadge value={d.risk_level} />
          <span className="recent-title">
            <Link to={`/endpoints/${encodeURIComponent(d.id)}`}>{d.hostname}</Link>
          </span>
          <span className="muted">{formatNumber(d.open_alerts)} open alerts</span>
          <span>risk {formatNumber(d.risk_score)}</span>
        </li>
      ))}
    </ul>
  );
}
