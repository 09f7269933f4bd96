/**
 * A rollout as the MCAs of one addon went through it: every change of a cluster's desired revision,
 * applied revision and Available condition, with when it was seen. The functions here are pure
 * questions over such a timeline (how many clusters were in flight at once, which clusters ever had a
 * revision desired), so end-to-end tests assert what happened over time, not only where it ended.
 */

/** What a rollout reads of one cluster's MCA status. */
export interface ClusterPoint {
  desiredRevision?: string;
  appliedRevision?: string;
  /** The MCA's Available condition is True (about `appliedRevision`). */
  available: boolean;
  /** The MCA is gone (the cluster left the addon's targets). */
  gone?: true;
}

export interface TimelineEntry extends ClusterPoint {
  /** When the change was seen (ms since the epoch). */
  at: number;
  cluster: string;
}

/** Entries in the order they were seen. */
export type Timeline = readonly TimelineEntry[];

interface McaLike {
  metadata?: { namespace?: string };
  status?: { desiredRevision?: string; appliedRevision?: string; conditions?: readonly { type: string; status: string }[] };
}

/** The point an MCA stands at (its namespace is its cluster). */
export function pointOf(mca: McaLike): ClusterPoint {
  const s = mca.status;
  return {
    ...(s?.desiredRevision ? { desiredRevision: s.desiredRevision } : {}),
    ...(s?.appliedRevision ? { appliedRevision: s.appliedRevision } : {}),
    available: s?.conditions?.some((c) => c.type === "Available" && c.status === "True") ?? false,
  };
}

export const GONE: ClusterPoint = { available: false, gone: true };

export const samePoint = (a: ClusterPoint | undefined, b: ClusterPoint): boolean =>
  a !== undefined && a.desiredRevision === b.desiredRevision && a.appliedRevision === b.appliedRevision && a.available === b.available && a.gone === b.gone;

/** Runs revision R and is Available. */
export const availableOn = (p: ClusterPoint, revision: string): boolean => p.appliedRevision === revision && p.available;

/** Each cluster's last point at `at` (default: the end). */
export function pointsAt(timeline: Timeline, at = Infinity): Map<string, ClusterPoint> {
  const out = new Map<string, ClusterPoint>();
  for (const e of timeline) if (e.at <= at) out.set(e.cluster, e);
  return out;
}

/** Clusters whose desired revision was R at some moment. */
export function everDesired(timeline: Timeline, revision: string): Set<string> {
  return new Set(timeline.filter((e) => e.desiredRevision === revision).map((e) => e.cluster));
}

/** When each cluster first had R desired, earliest first. */
export function firstDesired(timeline: Timeline, revision: string): { cluster: string; at: number }[] {
  const seen = new Map<string, number>();
  for (const e of timeline) if (e.desiredRevision === revision && !seen.has(e.cluster)) seen.set(e.cluster, e.at);
  return [...seen].map(([cluster, at]) => ({ cluster, at })).sort((a, b) => a.at - b.at);
}

/** The desired revisions one cluster went through, each change once (`undefined` while it had none). */
export function desiredHistory(timeline: Timeline, cluster: string): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (const e of timeline) {
    if (e.cluster !== cluster) continue;
    if (out.length === 0 || out[out.length - 1] !== e.desiredRevision) out.push(e.desiredRevision);
  }
  return out;
}

export interface InFlightOptions {
  /**
   * A cluster that became Available on R still holds its slot this long (the rollout's
   * minSuccessTime, less what the observer's clock may lag the hub's); 0 by default.
   */
  soakMs?: number;
}

export interface InFlightPeak {
  /** The most clusters in flight at once (0 when none ever was). */
  max: number;
  /** When that was first reached. */
  at?: number;
  /** Which clusters they were, by name. */
  clusters: string[];
}

interface Interval {
  cluster: string;
  from: number;
  to: number;
}

/**
 * The most clusters in flight on R at any one moment: R desired and not yet Available on it (DESIGN
 * §6: Progressing), and, with `soakMs`, Available on it for less than that (soaking). Intervals are
 * half-open, so a cluster that leaves at the moment another enters does not overlap it.
 */
export function maxInFlight(timeline: Timeline, revision: string, opts: InFlightOptions = {}): InFlightPeak {
  const intervals = [...new Set(timeline.map((e) => e.cluster))].flatMap((c) =>
    inFlightIntervals(timeline.filter((e) => e.cluster === c), revision, opts.soakMs ?? 0),
  );
  // ends before starts at the same instant
  const edges = intervals
    .flatMap((i) => [{ at: i.from, delta: 1, i }, { at: i.to, delta: -1, i }])
    .sort((a, b) => a.at - b.at || a.delta - b.delta);
  const open = new Set<Interval>();
  let peak: InFlightPeak = { max: 0, clusters: [] };
  for (const e of edges) {
    if (e.delta > 0) open.add(e.i);
    else open.delete(e.i);
    if (open.size > peak.max) peak = { max: open.size, at: e.at, clusters: [...open].map((i) => i.cluster).sort() };
  }
  return peak;
}

/** One cluster's spans in flight on R, from its own entries (in the order seen). */
function inFlightIntervals(entries: Timeline, revision: string, soakMs: number): Interval[] {
  const out: Interval[] = [];
  let availableSince: number | undefined;
  entries.forEach((e, k) => {
    const until = entries[k + 1]?.at ?? Infinity;
    const push = (from: number, to: number) => {
      if (to <= from) return;
      const last = out[out.length - 1];
      if (last && last.to === from) last.to = to; // one span across entries that changed nothing here
      else out.push({ cluster: e.cluster, from, to });
    };
    if (e.desiredRevision !== revision) {
      availableSince = undefined;
    } else if (!availableOn(e, revision)) {
      availableSince = undefined;
      push(e.at, until);
    } else {
      availableSince ??= e.at;
      push(e.at, Math.min(until, availableSince + soakMs));
    }
  });
  return out;
}

/** The timeline as lines, times relative to `since`, for a failure message or a report. */
export function formatTimeline(timeline: Timeline, since = timeline[0]?.at ?? 0): string {
  return timeline
    .map((e) => {
      const t = ((e.at - since) / 1000).toFixed(3).padStart(8);
      const what = e.gone ? "gone" : `desired=${e.desiredRevision ?? "-"} applied=${e.appliedRevision ?? "-"}${e.available ? " Available" : ""}`;
      return `+${t}s ${e.cluster} ${what}`;
    })
    .join("\n");
}
