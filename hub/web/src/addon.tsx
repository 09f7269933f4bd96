import { useState } from "preact/hooks";
import type { ActionState, AddonView, PlacementView } from "../../src/dashboard/view/types.js";
import { describeError, post } from "./api.js";
import { Confirm, type Ask } from "./confirm.js";
import { History } from "./history.js";
import { Badge, Bar, Problems } from "./parts.js";

function ActionButton(props: { id: string; label: string; state: ActionState; onAsk: () => void }) {
  return (
    <div class="action">
      <button type="button" id={`do-${props.id}`} disabled={!props.state.enabled} aria-describedby={`note-${props.id}`} onClick={props.onAsk}>
        {props.label}
      </button>
      <span id={`note-${props.id}`} class="note">{props.state.note}</span>
    </div>
  );
}

function Placement(props: { p: PlacementView }) {
  const { p } = props;
  return (
    <section class="placement" data-placement={p.name} aria-label={`placement ${p.name}`}>
      <h3>Placement {p.name} <span class="muted">— {p.strategy}</span></h3>
      <ol class="steps">
        {p.steps.map((s) => (
          <li class={`step tone-border-${s.tone} ${s.current ? "current" : ""}`} data-step={s.index} data-kind={s.kind} data-tone={s.tone} aria-current={s.current ? "step" : undefined}>
            <div class="step-head">
              <span class="step-no">{s.kind === "clusters" && s.what === "then rolling" ? "→" : s.index}</span>
              <strong>{s.what}</strong>
              {s.current && <Badge tone={s.tone}>current step</Badge>}
            </div>
            {s.bar && <Bar segments={s.bar} label={s.state} />}
            <div class="step-state">{s.state}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** One addon: its rollout step by step, live per-cluster state, history and diff, and the buttons. */
export function AddonPage(props: { name: string; view: AddonView | undefined }) {
  const v = props.view;
  const [ask, setAsk] = useState<Ask | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const base = `/api/v1/addons/${encodeURIComponent(props.name)}`;
  const run = async (a: Ask) => {
    setAsk(null);
    setResult({ ok: true, text: `${a.label}…` });
    try {
      setResult({ ok: true, text: (await post(`${base}/${a.path}`, a.body)).message });
    } catch (err) {
      setResult({ ok: false, text: describeError(err) });
    }
  };
  if (!v || v.name !== props.name) return <p class="muted">Waiting for {props.name}…</p>;
  const s = v.summary;
  return (
    <>
      <h1>
        {v.name} {v.displayName && <span class="muted">{v.displayName}</span>}
      </h1>
      <Problems problems={v.problems} loading={v.loading} />
      {!v.found && !v.loading.length && <p role="alert" class="problem">Addon {v.name} not found (or you may not see it).</p>}
      {v.found && (
        <>
          <section class="rollout" aria-label="Rollout" data-phase={v.phase} data-step={v.step}>
            <p class="phase">
              <Badge tone={v.tone}>{v.phase}{v.reason ? ` (${v.reason})` : ""}</Badge> <span id="rollout-message">{v.message}</span>
              {v.paused && <> <Badge tone="warn">paused</Badge></>}
              {v.stale && <> <Badge tone="idle">the hub has not acted on the latest spec yet</Badge></>}
            </p>
            <dl class="summary">
              <div><dt>Update revision</dt><dd><code>{v.updateRevision || "—"}</code></dd></div>
              <div><dt>Last good</dt><dd><code>{v.currentRevision || "—"}</code></dd></div>
              <div><dt>Clusters</dt><dd>{s.available}/{s.desired} available, {s.updated} updated, {s.progressing} progressing, {s.failed} failed, {s.unreachable} unreachable</dd></div>
            </dl>
          </section>
          <section aria-label="Actions" class="actions">
            <ActionButton id="promote" label="Promote" state={v.actions.promote} onAsk={() => setAsk({ label: "Promote", question: `Approve step ${v.actions.promote.step ?? ""} of ${v.updateRevision}: the rollout goes on to the next clusters.`, path: "promote", body: v.actions.promote.step ? { step: v.actions.promote.step } : {} })} />
            <ActionButton id="pause" label="Pause" state={v.actions.pause} onAsk={() => setAsk({ label: "Pause", question: `Pause ${v.name}: no new cluster starts on the update revision; clusters in flight finish.`, path: "pause" })} />
            <ActionButton id="resume" label="Resume" state={v.actions.resume} onAsk={() => setAsk({ label: "Resume", question: `Resume ${v.name}: the rollout goes on.`, path: "resume" })} />
            <ActionButton id="undo" label="Undo" state={v.actions.undo} onAsk={() => setAsk({ label: "Undo", question: `Undo ${v.name}: ${v.actions.undo.note}. Every cluster goes back to it by the rollout strategy.`, path: "undo" })} />
            {result && <p class={`result ${result.ok ? "" : "problem"}`} role={result.ok ? "status" : "alert"} id="action-result">{result.text}</p>}
          </section>
          <section aria-labelledby="steps-h">
            <h2 id="steps-h">Rollout of {v.updateRevision || "—"}</h2>
            {v.placements.length === 0 && <p class="muted">No rollout yet.</p>}
            {v.placements.map((p) => <Placement p={p} />)}
          </section>
          <section aria-labelledby="clusters-h">
            <h2 id="clusters-h">Clusters ({v.clusters.length})</h2>
            <table>
              <thead><tr><th scope="col">Cluster</th><th scope="col">Placement</th><th scope="col">State</th><th scope="col">Desired</th><th scope="col">Applied</th></tr></thead>
              <tbody>
                {v.clusters.map((c) => (
                  <tr data-cluster={c.name} data-progress={c.progress}>
                    <th scope="row">{c.name}</th>
                    <td>{c.placement}</td>
                    <td><Badge tone={c.tone}>{c.label}</Badge></td>
                    <td><code>{c.desiredRevision}</code></td>
                    <td><code>{c.appliedRevision}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <History addon={v.name} revisions={v.revisions} updateRevision={v.updateRevision} onRollback={(n, name) => setAsk({ label: "Roll back", question: `Roll ${v.name} back to revision ${n} (${name}): its content is copied back into the addon and rolls out by the strategy.`, path: "undo", body: { toRevision: n } })} />
        </>
      )}
      <Confirm ask={ask} onConfirm={(a) => void run(a)} onCancel={() => setAsk(null)} />
    </>
  );
}
