import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HeartbeatPoint } from '../api/endpoints-api.ts';
import { hhmm, TOOLTIP_STYLE } from './chart-theme.ts';

const iso = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString() : '');

/**
 * CPU, memory and disk use of one endpoint, one point per heartbeat, on a true time axis (gaps
 * in the heartbeats show as gaps in time, not as evenly spaced points).
 */
export default function HeartbeatChart({ points }: { points: HeartbeatPoint[] }) {
  const data = points.map((p) => ({ ...p, t: Date.parse(p.ts) }));
  return (
    <ResponsiveContainer width="100%" height={200}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={['dataMin', 'dataMax']}
          tickFormatter={(ms) => hhmm(iso(ms))}
          stroke="var(--muted)"
          fontSize={12}
          minTickGap={32}
        />
        <YAxis stroke="var(--muted)" fontSize={12} domain={[0, 100]} unit="%" />
        <Tooltip
          labelFormatter={(ms) => `${iso(ms).slice(0, 16).replace('T', ' ')} UTC`}
          contentStyle={TOOLTIP_STYLE}
        />
        <Legend />
        <Line
          type="monotone"
          dataKey="cpu_pct"
          name="CPU"
          stroke="var(--chart-1)"
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="memory_pct"
          name="Memory"
          stroke="var(--chart-2)"
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="disk_pct"
          name="Disk"
          stroke="var(--chart-3)"
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
