import { useEffect, useState } from "preact/hooks";
import type { AddonView, FleetView } from "../../src/dashboard/view/types.js";

export interface Live {
  fleet?: FleetView;
  addon?: AddonView;
  /** False while the stream is down (the browser reconnects by itself). */
  connected: boolean;
}

/**
 * The server's pushes for this page: the fleet view, or the addon's view when one is open. One
 * EventSource per page; no polling.
 */
export function useLive(addon: string | undefined): Live {
  const [live, setLive] = useState<Live>({ connected: false });
  useEffect(() => {
    setLive({ connected: false });
    const src = new EventSource(`/api/v1/events${addon ? `?addon=${encodeURIComponent(addon)}` : ""}`);
    src.addEventListener("open", () => setLive((l) => ({ ...l, connected: true })));
    src.addEventListener("error", () => setLive((l) => ({ ...l, connected: false })));
    src.addEventListener("fleet", (e) => setLive((l) => ({ ...l, connected: true, fleet: JSON.parse((e as MessageEvent<string>).data) as FleetView })));
    src.addEventListener("addon", (e) => setLive((l) => ({ ...l, connected: true, addon: JSON.parse((e as MessageEvent<string>).data) as AddonView })));
    return () => src.close();
  }, [addon]);
  return live;
}

/** The route from the location hash: `#/` the fleet, `#/addons/NAME` an addon. */
export function useRoute(): { addon?: string } {
  const read = () => {
    const m = /^#\/addons\/([^/]+)/.exec(location.hash);
    return m?.[1] ? { addon: decodeURIComponent(m[1]) } : {};
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return route;
}
