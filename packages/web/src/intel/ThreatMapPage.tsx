import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useHttp } from '../api/http-context.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatNumber, relativeTime } from '../lib/format.ts';
import { intelApi, type LiveThreat, type ThreatMapSnapshot } from './intel-api.ts';
import { graticule, MAP_HEIGHT, MAP_WIDTH, project, radiusOf, severityBand } from './world-projection.ts';
import './threat-map.css';

const WINDOWS = [
  { seconds: 900, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
];
const MAX_LIVE = 50;

/** A pushed attack with the order it arrived in (its key in lists). */
export type LiveEntry = LiveThreat & { seq: number };
let nextSeq = 0;

/** The WebSocket address of the live map, on the console's own origin (the session cookie authenticates). */
export function threatMapSocketUrl(
  location: { protocol: string; host: string },
  windowSeconds: number,
): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/threatmap?window=${windowSeconds}`;
}

/** The SVG world: graticule and one circle per source address, sized by count, coloured by severity. */
export function ThreatMapSvg({ snapshot, live }: { snapshot: ThreatMapSnapshot | null; live: LiveEntry[] }) {
  return (
    <svg
      className="threat-map"
      viewBox={`0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`}
      role="img"
      aria-label={`Threat map: ${snapshot?.points.length ?? 0} source addresses`}
    >
      <rect width={MAP_WIDTH} height={MAP_HEIGHT} className="threat-map-sea" />
      <path d={graticule()} className="threat-map-graticule" />
      {snapshot?.points.map((p) => {
        const { x, y } = project(p.lat, p.lon);
        return (
          <circle
            key={p.src_ip}
            cx={x}
            cy={y}
            r={radiusOf(p.count)}
            className={`threat-point severity-${severityBand(p.max_severity)}`}
            data-ip={p.src_ip}
          >
            <title>
              {p.src_ip} ({p.city ? `${p.city}, ` : ''}
              {p.country}): {p.count} × {Object.keys(p.attack_types).join(', ')}
            </title>
          </circle>
        );
      })}
      {live
        .filter((t) => t.geo !== null)
        .slice(0, 10)
        .map((t) => {
          const { x, y } = project(t.geo!.lat, t.geo!.lon);
          return <circle key={t.seq} cx={x} cy={y} r={4} className="threat-live-pulse" />;
        })}
    </svg>
  );
}

/** `/threat-map`: attack sources of the window, live (seed 004's threat map). */
export function ThreatMapPage() {
  const http = useHttp();
  const [windowSeconds, setWindowSeconds] = useState(900);
  const [snapshot, setSnapshot] = useState<ThreatMapSnapshot | null>(null);
  const [live, setLive] = useState<LiveEntry[]>([]);
  const [status, setStatus] = useState<'connecting' | 'live' | 'offline'>('connecting');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    intelApi
      .threatMap(http, windowSeconds, controller.signal)
      .then(setSnapshot)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(String((err as Error).message ?? err));
      });
    if (typeof WebSocket === 'undefined') return () => controller.abort();
    const socket = new WebSocket(threatMapSocketUrl(window.location, windowSeconds));
    socket.onopen = () => setStatus('live');
    socket.onclose = () => setStatus('offline');
    socket.onmessage = (e) => {
      const message = JSON.parse(String(e.data)) as { type: string; snapshot?: ThreatMapSnapshot };
      if (message.type === 'snapshot' && message.snapshot) setSnapshot(message.snapshot);
      else if (message.type === 'threat')
        setLive((list) =>
          [{ ...(message as unknown as LiveThreat), seq: nextSeq++ }, ...list].slice(0, MAX_LIVE),
        );
    };
    return () => {
      controller.abort();
      socket.close();
    };
  }, [http, windowSeconds]);

  return (
    <>
      <PageHeader title="Threat map">
        <Link to="/intelligence" className="button ghost">
          ‹ Intelligence
        </Link>
      </PageHeader>
      <div className="filters">
        <label>
          Window
          <select value={windowSeconds} onChange={(e) => setWindowSeconds(Number(e.target.value))}>
            {WINDOWS.map((w) => (
              <option key={w.seconds} value={w.seconds}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        <span className={`threat-status threat-status-${status}`} data-testid="threat-status">
          {status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Not live'}
        </span>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {snapshot && snapshot.total === 0 && live.length === 0 ? (
        <div className="state-message">
          No live telemetry in this window: attack sources appear as they arrive.
        </div>
      ) : null}
      <div className="threat-layout">
        <ThreatMapSvg snapshot={snapshot} live={live} />
        <aside className="card threat-side">
          <h2>Window</h2>
          <p>
            {formatNumber(snapshot?.total ?? 0)} attacks from public sources,{' '}
            {formatNumber(snapshot?.located ?? 0)} placed, {formatNumber(snapshot?.unlocated ?? 0)} without a
            known position, {formatNumber(snapshot?.private_excluded ?? 0)} private sources left out.
          </p>
          <h3>Countries</h3>
          <ul aria-label="Countries">
            {snapshot?.countries.slice(0, 10).map((c) => (
              <li key={c.country}>
                {c.country}: {formatNumber(c.count)}
              </li>
            ))}
          </ul>
          <h3>Attack types</h3>
          <ul aria-label="Attack types">
            {snapshot?.attack_types.map((t) => (
              <li key={t.attack_type}>
                {t.attack_type}: {formatNumber(t.count)}
              </li>
            ))}
          </ul>
          <h3>Live</h3>
          <ul aria-label="Live attacks">
            {live.slice(0, 15).map((t) => (
              <li key={t.seq}>
                <span className="mono">{t.src_ip}</span> {t.geo?.country ?? '??'} {t.attack_type} (
                {t.severity}) {relativeTime(t.ts)}
              </li>
            ))}
          </ul>
        </aside>
      </div>
    </>
  );
}
