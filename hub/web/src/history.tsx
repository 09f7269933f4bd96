import { useState } from "preact/hooks";
import type { DiffLine, RevisionDiff, RevisionRow } from "../../src/dashboard/view/types.js";
import { describeError, getJson } from "./api.js";
import { formatTime } from "./parts.js";

/** How a diff line shows: a mark as well as a colour. */
const LINE: Record<DiffLine["op"], { cls: string; mark: string }> = { "+": { cls: "add", mark: "+" }, "-": { cls: "del", mark: "−" }, " ": { cls: "same", mark: " " }, "…": { cls: "gap", mark: "…" } };

/** The revision history, a diff between two revisions, and a rollback to any revision but the one rolling out. */
export function History(props: { addon: string; revisions: RevisionRow[]; updateRevision: string; onRollback: (revision: number, name: string) => void }) {
  const revs = props.revisions;
  const [from, setFrom] = useState<number | undefined>(undefined);
  const [to, setTo] = useState<number | undefined>(undefined);
  const [diff, setDiff] = useState<RevisionDiff | string | null>(null);
  const a = from ?? revs[1]?.revision;
  const b = to ?? revs[0]?.revision;
  const show = async () => {
    setDiff("Loading…");
    try {
      setDiff(await getJson<RevisionDiff>(`/api/v1/addons/${encodeURIComponent(props.addon)}/diff?from=${a}&to=${b}`));
    } catch (err) {
      setDiff(describeError(err));
    }
  };
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">Revision history</h2>
      <table>
        <thead><tr><th scope="col">Revision</th><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col">Change cause</th><th scope="col"><span class="sr-only">Action</span></th></tr></thead>
        <tbody>
          {revs.map((r) => (
            <tr data-revision={r.revision}>
              <th scope="row">{r.revision}</th>
              <td><code>{r.name}</code></td>
              <td>{formatTime(r.created)}</td>
              <td>{r.outcome}</td>
              <td>{r.changeCause}</td>
              <td>{r.name !== props.updateRevision && <button type="button" onClick={() => props.onRollback(r.revision, r.name)}>Roll back to {r.revision}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {revs.length >= 2 && (
        <form class="diff-form" onSubmit={(e) => (e.preventDefault(), void show())}>
          <label>From <select value={a} onChange={(e) => setFrom(Number(e.currentTarget.value))}>{revs.map((r) => <option value={r.revision}>{r.revision}</option>)}</select></label>
          <label>To <select value={b} onChange={(e) => setTo(Number(e.currentTarget.value))}>{revs.map((r) => <option value={r.revision}>{r.revision}</option>)}</select></label>
          <button type="submit">Show diff</button>
        </form>
      )}
      {typeof diff === "string" && <p role="status">{diff}</p>}
      {diff && typeof diff === "object" && (
        <figure class="diff">
          <figcaption>Revision {diff.from.revision} → {diff.to.revision} (lines marked − removed, + added)</figcaption>
          <pre>
            {diff.lines.map((l) => (
              <div class={LINE[l.op].cls}>{`${LINE[l.op].mark} ${l.text}`}</div>
            ))}
          </pre>
        </figure>
      )}
    </section>
  );
}
