import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createBusAuthority, serverAuthConfig } from "../../credentials/authority.js";

/** `flotilla nats init`: a fresh trust chain; files readable by their owner only, never overwritten. */
export async function natsInit(o: { dir: string; resolverDir: string }): Promise<void> {
  const dir = resolve(o.dir);
  await mkdir(dir, { recursive: true });
  const a = await createBusAuthority();
  const files: [string, string][] = [
    ["auth.conf", serverAuthConfig(a, o.resolverDir)],
    ["hub.creds", a.hubCreds],
    ["issuer.json", JSON.stringify(a.issuer, null, 2) + "\n"],
  ];
  for (const [name, text] of files) await writeFile(join(dir, name), text, { mode: 0o600, flag: "wx" });
  process.stdout.write(
    [
      `Wrote ${files.map(([n]) => join(dir, n)).join(", ")}.`,
      `  nats-server:  include ${join(dir, "auth.conf")} in its configuration, with JetStream on (resolver dir ${o.resolverDir})`,
      `  hub:          flotilla hub --nats-creds ${join(dir, "hub.creds")} --nats-issuer ${join(dir, "issuer.json")} ...`,
      "  clusters:     create a bootstrap token per cluster (docs/registration.md); its agent runs with --bootstrap-creds",
      "",
    ].join("\n"),
  );
}
