import { join } from "node:path";

/** What `flotilla dev up` keeps in its directory. */
export const devFiles = (dir: string) => ({
  ready: join(dir, "ready"),
  pid: join(dir, "dev.pid"),
  log: join(dir, "dev.log"),
  fleet: join(dir, "fleet.json"),
  clusters: join(dir, "clusters"),
  nats: join(dir, "nats"),
});

/** The sample addon (deploy/examples/sample-addon.yaml), from test/dist/dev or test/src/dev. */
export const sampleAddonPath = (): string => new URL("../../../deploy/examples/sample-addon.yaml", import.meta.url).pathname;
