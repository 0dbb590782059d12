import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { TOOLTIP_STYLE } from './chart-theme.ts';

export interface ClassificationItem {
  event_type: string;
  count: number;
}

/** Events of the last hour by class; bars rather than seed 000's pie, so small classes stay readable. */
export default function EventClassificationChart({ items }: { items: ClassificationItem[] }) {
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={items} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 24 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" stroke="var(--muted)" fontSize={12} />
        <YAxis type="category" dataKey="event_type" stroke="var(--muted)" fontSize={12} width={110} />
        <Tooltip cursor={{ fill: 'var(--surface-2)' }} contentStyle={TOOLTIP_STYLE} />
        <Bar dataKey="count" name="Events" fill="var(--chart-1)" radius={[0, 3, 3, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}
