import { Command } from "commander";
import { envOption } from "../options.js";

export function natsCommand(): Command {
  const nats = new Command("nats").description("The bus's trust chain (decentralized JWT: operator, accounts, scoped signing keys)");
  nats
    .command("init")
    .description(
      "Make a new trust chain into --dir: auth.conf (include it in nats-server's configuration), hub.creds (the hub's --nats-creds), " +
        "issuer.json (the hub's --nats-issuer: keep it secret, e.g. in a Secret). Agents get their own credentials by registering.",
    )
    .addOption(envOption("--dir <dir>", "where to write the files (created; existing files are not overwritten)").makeOptionMandatory())
    .addOption(envOption("--resolver-dir <dir>", "where nats-server keeps account JWTs (the hub pushes revocations there)").default("/data/jwt"))
    .action(async (o: { dir: string; resolverDir: string }) => (await import("../actions/nats.js")).natsInit(o));
  return nats;
}
