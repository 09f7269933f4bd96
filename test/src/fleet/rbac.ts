/**
 * The fleet's hub and agents run as the ServiceAccounts of deploy/rbac/hub.yaml and agent.yaml, holding
 * exactly what those files grant (no system:masters): the file is applied to the control plane as the
 * admin, and the process gets a kubeconfig with a token the API server issued for that ServiceAccount
 * (TokenRequest), as a pod would. The admin kubeconfig stays the fleet admin's (tests, kubectl).
 */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AuthorizationV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";
import type { ControlPlane } from "../harness/controlplane.js";
import { writeTokenKubeconfig } from "../harness/kubeconfig.js";
import { waitUntilReady } from "../harness/ready.js";
import { accessChecks, type RbacDoc } from "./rbac-rules.js";

/** Which file each part runs under, and the ServiceAccount the file binds. */
export const FLOTILLA_IDENTITIES = {
  hub: { file: "deploy/rbac/hub.yaml", namespace: "flotilla-system", serviceAccount: "flotilla-hub" },
  agent: { file: "deploy/rbac/agent.yaml", namespace: "flotilla-system", serviceAccount: "flotilla-agent" },
} as const;
export type FlotillaPart = keyof typeof FLOTILLA_IDENTITIES;

/** Longer than any dev fleet runs; the harness API server sets no maximum. */
const TOKEN_SECONDS = 365 * 24 * 3600;
const FIELD_MANAGER = "flotilla-harness";

/** The user name the API server gives the part's ServiceAccount. */
export function serviceAccountUser(part: FlotillaPart): string {
  const id = FLOTILLA_IDENTITIES[part];
  return `system:serviceaccount:${id.namespace}:${id.serviceAccount}`;
}

/** Absolute path of the part's RBAC file (the repository root is three levels above test/src/fleet and test/dist/fleet). */
export function rbacFilePath(part: FlotillaPart): string {
  return fileURLToPath(new URL(`../../../${FLOTILLA_IDENTITIES[part].file}`, import.meta.url));
}

/** The documents of the part's RBAC file. */
export async function readRbacFile(part: FlotillaPart): Promise<(KubernetesObject & RbacDoc)[]> {
  const docs = parseAllDocuments(await readFile(rbacFilePath(part), "utf8"));
  return docs.map((d) => d.toJS() as (KubernetesObject & RbacDoc) | null).filter((d): d is KubernetesObject & RbacDoc => d !== null);
}

/** Where the part's kubeconfig for `cp` is written. */
export const identityKubeconfigPath = (cp: ControlPlane, part: FlotillaPart): string => join(cp.dir, `flotilla-${part}.kubeconfig`);

/**
 * The kubeconfig the part runs with on `cp`. The first call applies the RBAC file, waits until its grants
 * are in force, and writes a kubeconfig with a fresh token; later calls (a restarted agent or hub, maybe
 * while the API server is down) reuse it. One left by an earlier control plane in the same directory
 * (older than its admin kubeconfig, written at every start) is not reused: its token was signed by another key.
 */
export async function identityKubeconfig(cp: ControlPlane, part: FlotillaPart): Promise<string> {
  const path = identityKubeconfigPath(cp, part);
  if (existsSync(path) && (await stat(path)).mtimeMs >= (await stat(cp.kubeconfigPath)).mtimeMs) return path;
  await applyRbacFile(cp, part);
  const id = FLOTILLA_IDENTITIES[part];
  const core = cp.kubeConfig.makeApiClient(CoreV1Api);
  const request = await core.createNamespacedServiceAccountToken({ name: id.serviceAccount, namespace: id.namespace, body: { spec: { audiences: [], expirationSeconds: TOKEN_SECONDS } } });
  const token = request.status?.token;
  if (!token) throw new Error(`${cp.name}: no token issued for ServiceAccount ${id.namespace}/${id.serviceAccount}`);
  await writeTokenKubeconfig(path, { clusterName: cp.name, server: cp.url, caPem: cp.caPem, user: id.serviceAccount, token });
  return path;
}

/** Applies the part's RBAC file as the admin (server-side apply) and waits until it is in force. */
export async function applyRbacFile(cp: ControlPlane, part: FlotillaPart): Promise<void> {
  const docs = await readRbacFile(part);
  const objects = KubernetesObjectApi.makeApiClient(cp.kubeConfig);
  for (const doc of docs) await objects.patch(doc, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  await waitInForce(cp, part, docs);
}

/** Until every rule of the file is allowed for the ServiceAccount (the RBAC cache has the new objects). */
export async function waitInForce(cp: ControlPlane, part: FlotillaPart, docs: readonly RbacDoc[]): Promise<void> {
  const authz = cp.kubeConfig.makeApiClient(AuthorizationV1Api);
  const id = FLOTILLA_IDENTITIES[part];
  const user = serviceAccountUser(part);
  const groups = ["system:serviceaccounts", `system:serviceaccounts:${id.namespace}`, "system:authenticated"];
  const pending = accessChecks(docs);
  await waitUntilReady({
    what: `${cp.name}: the grants of ${id.file} for ${user}`,
    timeoutMs: 30_000,
    intervalMs: 50,
    check: async () => {
      const answers = await Promise.all(pending.map((resourceAttributes) => authz.createSubjectAccessReview({ body: { spec: { user, groups, resourceAttributes } } })));
      return answers.every((a) => a.status?.allowed === true);
    },
  });
}
