import { useEffect } from "preact/hooks";
import { AddonPage } from "./addon.js";
import { FleetPage } from "./fleet.js";
import { useLive, useRoute } from "./stream.js";

export const FIRST_VIEW_MARK = "flotilla:first-view";

export function App() {
  const route = useRoute();
  const live = useLive(route.addon);
  const first = live.fleet ?? live.addon;
  useEffect(() => {
    // when the first pushed view was drawn: the figure the browser test reports as time to first view
    if (first && performance.getEntriesByName(FIRST_VIEW_MARK).length === 0) performance.mark(FIRST_VIEW_MARK);
  }, [first]);
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">Flotilla</a>
        <nav aria-label="Pages">
          <a href="#/" aria-current={route.addon ? undefined : "page"}>Fleet</a>
          {route.addon && <span aria-current="page"> / {route.addon}</span>}
        </nav>
        <span class={`conn ${live.connected ? "tone-ok" : "tone-warn"}`} role="status" data-connected={String(live.connected)}>
          {live.connected ? "● live" : "○ reconnecting…"}
        </span>
      </header>
      <main>{route.addon ? <AddonPage name={route.addon} view={live.addon} /> : <FleetPage view={live.fleet} />}</main>
    </>
  );
}
