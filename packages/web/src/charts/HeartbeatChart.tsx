import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { HeartbeatPoint } from '../api/endpoints-api.ts';
import { hhmm, TOOLTIP_STYLE } from './chart-theme.ts';

/** CPU, memory and disk use of one endpoint, one point per heartbeat. */
export default function HeartbeatChart({ points }: { points: HeartbeatPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height={200}>
      <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="ts" tickFormatter={hhmm} stroke="var(--muted)" fontSize={12} minTickGap={32} />
        <YAxis stroke="var(--muted)" fontSize={12} domain={[0, 100]} unit="%" />
        <Tooltip
          labelFormatter={(l) => (typeof l === 'string' ? `${l.slice(0, 16).replace('T', ' ')} UTC` : '')}
          contentStyle={TOOLTIP_STYLE}
        />
        <Legend />
        <Line type="monotone" dataKey="cpu_pct" name="CPU" stroke="var(--chart-1)" dot={false} connectNulls />
        <Line
          type="monotone"
          dataKey="memory_pct"
          name="Memory"
          stroke="var(--chart-2)"
          dot={false}
          connectNulls
        />
        <Line
          type="monotone"
          dataKey="disk_pct"
          name="Disk"
          stroke="var(--chart-3)"
          dot={false}
          connectNulls
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
