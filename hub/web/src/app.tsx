import { AddonPage } from "./addon.js";
import { FleetPage } from "./fleet.js";
import { useLive, useRoute } from "./stream.js";

export function App() {
  const route = useRoute();
  const live = useLive(route.addon);
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
