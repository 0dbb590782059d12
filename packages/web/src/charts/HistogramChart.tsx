import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { TOOLTIP_STYLE } from './chart-theme.ts';

export interface HistogramBucket {
  start: string;
  count: number;
}

const label = (iso: unknown) => (typeof iso === 'string' ? iso.slice(5, 16).replace('T', ' ') : '');

/** Matching events over time (the hunt's histogram), so a burst stands out before reading rows. */
export default function HistogramChart({ buckets }: { buckets: HistogramBucket[] }) {
  return (
    <ResponsiveContainer width="100%" height={140}>
      <BarChart data={buckets} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="start" tickFormatter={label} stroke="var(--muted)" fontSize={11} minTickGap={40} />
        <YAxis stroke="var(--muted)" fontSize={11} allowDecimals={false} />
        <Tooltip labelFormatter={label} cursor={{ fill: 'var(--surface-2)' }} contentStyle={TOOLTIP_STYLE} />
        <Bar dataKey="count" name="Events" fill="var(--chart-1)" />
      </BarChart>
    </ResponsiveContainer>
  );
}
