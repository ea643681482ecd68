// Small text helpers shared by the rules and the report.

/** `2 hours 5 minutes`, `1 minute`, `less than a minute`. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (days > 0) return hours > 0 ? `${part(days, 'day')} ${part(hours, 'hour')}` : part(days, 'day');
  if (hours > 0) return rest > 0 ? `${part(hours, 'hour')} ${part(rest, 'minute')}` : part(hours, 'hour');
  return part(rest, 'minute');
}

/** A zone-file line: `shop.example.com. 300 IN A 34.1.2.3`. */
export function dnsRecordLine(domain: string, type: 'A' | 'AAAA' | 'CAA', value: string, ttl = 300): string {
  return `${domain.replace(/\.$/, '')}. ${ttl} IN ${type} ${value}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return n === 1 ? singular : pluralForm;
}

/** RFC 3339 (or Google's offset form) → ms; undefined when absent or unreadable. */
export function parseTime(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
