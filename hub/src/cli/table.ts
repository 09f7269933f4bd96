/** Column widths for a kubectl-style table: the longest cell (or header) of each column. */
export function columnWidths(headers: readonly string[], rows: readonly (readonly string[])[]): number[] {
  return headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
}

/** One table line: cells padded to `widths` and 3 spaces apart, the last cell unpadded. */
export function formatRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(Math.max(widths[i] ?? 0, c.length) + 3))).join("").trimEnd();
}

/** Formats rows as a kubectl-style table: upper-case headers, columns padded by 3 spaces. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = columnWidths(headers, rows);
  return [formatRow(headers.map((h) => h.toUpperCase()), widths), ...rows.map((r) => formatRow(r, widths))].join("\n") + "\n";
}

/** `5s`, `3m`, `2h`, `4d` like kubectl's AGE column. */
export function formatAge(from: string | Date | undefined, now: Date): string {
  if (!from) return "<unknown>";
  const s = Math.max(0, Math.floor((now.getTime() - new Date(from).getTime()) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
