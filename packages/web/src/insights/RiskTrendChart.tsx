import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TrendPoint } from '../api/insights-api.ts';
import { dailySeries, utcDay } from './insight-format.ts';

const monthDay = (day: unknown) => (typeof day === 'string' ? day.slice(5) : '');

/** A device's daily risk (0–100) over the last `days` days; days without events are gaps. */
export default function RiskTrendChart({
  points,
  days,
  height = 120,
  label,
}: {
  points: readonly TrendPoint[];
  days: number;
  height?: number;
  label: string;
}) {
  const data = dailySeries(points, days, utcDay(Date.now()));
  return (
    <figure className="risk-trend" aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -24 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis dataKey="day" tickFormatter={monthDay} stroke="var(--muted)" fontSize={11} minTickGap={24} />
          <YAxis stroke="var(--muted)" fontSize={11} domain={[0, 100]} />
          <Tooltip
            contentStyle={{
              background: 'var(--surface-2)',
              border: '1px solid var(--border)',
              color: 'var(--text)',
            }}
          />
          <Line
            type="monotone"
            dataKey="risk_score"
            name="Risk"
            stroke="var(--chart-1)"
            dot={days <= 7}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
