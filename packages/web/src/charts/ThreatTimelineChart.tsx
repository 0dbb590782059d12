import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { hhmm, TOOLTIP_STYLE } from './chart-theme.ts';

export interface TimelinePoint {
  time: string;
  threat_level: number;
  security_index: number;
  anomaly_level: number;
}

/** Threat level, security index and anomaly level over the last hours (seed 000's dashboard chart). */
export default function ThreatTimelineChart({ series }: { series: TimelinePoint[] }) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={series} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="time" tickFormatter={hhmm} stroke="var(--muted)" fontSize={12} minTickGap={24} />
        <YAxis stroke="var(--muted)" fontSize={12} domain={[0, 5]} />
        <Tooltip contentStyle={TOOLTIP_STYLE} />
        <Legend />
        <Line
          type="monotone"
          dataKey="threat_level"
          name="Threat level"
          stroke="var(--chart-1)"
          dot={false}
        />
        <Line
          type="monotone"
          dataKey="security_index"
          name="Security index"
          stroke="var(--chart-2)"
          dot={false}
        />
        <Line
          type="monotone"
          dataKey="anomaly_level"
          name="Anomaly level"
          stroke="var(--chart-3)"
          dot={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
