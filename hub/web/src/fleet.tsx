import type { FleetView } from "../../src/dashboard/view/types.js";
import { Badge, Problems } from "./parts.js";

/** Clusters by condition, addons by rollout phase. */
export function FleetPage(props: { view: FleetView | undefined }) {
  const v = props.view;
  if (!v) return <p class="muted">Waiting for the first view…</p>;
  const empty = (resource: string, none: string) => (v.problems.some((p) => p.resource === resource) ? "Not visible with your credentials (see above)." : none);
  return (
    <>
      <h1>Fleet</h1>
      <Problems problems={v.problems} loading={v.loading} />
      <section aria-labelledby="addons-h">
        <h2 id="addons-h">Addons ({v.addonCount})</h2>
        {v.addons.length === 0 && <p class="muted">{empty("clustermanagementaddons", "No addons.")}</p>}
        {v.addons.map((g) => (
          <div class="group" data-phase={g.phase}>
            <h3>
              <Badge tone={g.tone}>{g.phase}</Badge> <span class="muted">{g.addons.length}</span>
            </h3>
            <table>
              <thead>
                <tr><th scope="col">Addon</th><th scope="col">Available</th><th scope="col">Failed</th><th scope="col">Update revision</th><th scope="col">Message</th></tr>
              </thead>
              <tbody>
                {g.addons.map((a) => (
                  <tr data-addon={a.name}>
                    <th scope="row"><a href={`#/addons/${encodeURIComponent(a.name)}`}>{a.name}</a>{a.displayName && <span class="muted"> {a.displayName}</span>}</th>
                    <td>{a.available}/{a.desired}</td>
                    <td class={a.failed ? "tone-bad" : ""}>{a.failed}</td>
                    <td><code>{a.updateRevision}</code></td>
                    <td>{a.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </section>
      <section aria-labelledby="clusters-h">
        <h2 id="clusters-h">Clusters ({v.clusterCount})</h2>
        {v.clusters.length === 0 && <p class="muted">{empty("managedclusters", "No clusters.")}</p>}
        <div class="cluster-groups">
          {v.clusters.map((g) => (
            <div class="group" data-group={g.key}>
              <h3><Badge tone={g.tone}>{g.label}</Badge> <span class="muted">{g.clusters.length}</span></h3>
              <ul class="clusters">
                {g.clusters.map((c) => (
                  <li data-cluster={c.name}>
                    <strong>{c.name}</strong> <span class="muted">{c.kubernetesVersion}</span>
                    {c.why && <div class="why">{c.why}</div>}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </section>
    </>
  );
}
