import type { ComponentChildren } from "preact";
import type { Problem, Segment, Tone } from "../../src/dashboard/view/types.js";

/** A symbol per tone, so a state never reads by colour alone. */
const MARK: Record<Tone, string> = { ok: "✓", busy: "↻", warn: "‖", bad: "✗", idle: "·" };

export function Badge(props: { tone: Tone; children: ComponentChildren }) {
  return (
    <span class={`badge tone-${props.tone}`} data-tone={props.tone}>
      <span aria-hidden="true">{MARK[props.tone]} </span>
      {props.children}
    </span>
  );
}

/** A progress bar whose words are its label. */
export function Bar(props: { segments: Segment[]; label: string }) {
  return (
    <div class="bar" role="img" aria-label={props.label}>
      {props.segments.map((s) => (
        <span class={`seg seg-${s.kind}`} style={{ width: `${s.percent}%` }} />
      ))}
    </div>
  );
}

/** What the user's credentials could not read, said plainly (a 403 is RBAC saying no). */
export function Problems(props: { problems: Problem[]; loading: string[] }) {
  if (!props.problems.length && !props.loading.length) return null;
  return (
    <section class="problems" aria-label="Problems">
      {props.problems.map((p) => (
        <p role="alert" class={`problem ${p.code === "Forbidden" ? "forbidden" : ""}`} data-code={p.code}>
          <strong>{p.code === "Forbidden" ? "403 Forbidden" : p.code}:</strong> cannot list {p.resource} with your credentials — {p.message}
        </p>
      ))}
      {props.loading.length > 0 && <p class="muted">Listing {props.loading.join(", ")}…</p>}
    </section>
  );
}

export const formatTime = (iso: string): string => (iso ? new Date(iso).toLocaleString() : "");
