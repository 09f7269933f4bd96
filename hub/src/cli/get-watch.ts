import { rowKey, type Column } from "./get-columns.js";
import { columnWidths, formatRow } from "./table.js";

/**
 * What `get --watch` prints, as kubectl get -w does: the table once, then one row each time an object
 * changes in a way the table shows (or is deleted: its last row). Pure: watch events in, lines out.
 */
export class WatchTable<T> {
  private readonly printed = new Map<string, string>();
  private widths: number[] | undefined;

  constructor(
    private readonly columns: readonly Column<T>[],
    private readonly nameOf: (o: T) => string,
  ) {}

  /**
   * The header and the rows of the objects there at the start, aligned together (nothing at all when
   * there is none yet: the header comes with the first row).
   */
  start(items: readonly T[], now: Date): string[] {
    if (items.length) this.widths = columnWidths(this.headers(), items.map((o) => this.row(o, now)));
    const lines = items.flatMap((o) => this.event("add", o, now));
    return items.length ? [formatRow(this.headers(), this.widths ?? []), ...lines] : lines;
  }

  private headers(): string[] {
    return this.columns.map((c) => c.header.toUpperCase());
  }

  private row(o: T, now: Date): string[] {
    return this.columns.map((c) => c.cell(o, now));
  }

  /** The line to print for one event, if any. */
  event(type: "add" | "update" | "delete", o: T, now: Date): string[] {
    const name = this.nameOf(o);
    const row = this.row(o, now);
    const key = rowKey(this.columns, row);
    if (type === "delete") {
      if (!this.printed.delete(name)) return [];
    } else {
      if (this.printed.get(name) === key) return [];
      this.printed.set(name, key);
    }
    const lines: string[] = [];
    if (!this.widths) {
      this.widths = columnWidths(this.headers(), [row]);
      lines.push(formatRow(this.headers(), this.widths));
    }
    lines.push(formatRow(row, this.widths));
    return lines;
  }
}
