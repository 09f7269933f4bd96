import { describe, expect, it } from "vitest";
import { apiserverArgs, apiserverUrl } from "./apiserver.js";
import type { ClusterCertFiles } from "./certs.js";

const files: ClusterCertFiles = {
  caCert: "/cp/ca.crt",
  caKey: "/cp/ca.key",
  servingCert: "/cp/serving.crt",
  servingKey: "/cp/serving.key",
  serviceAccountPub: "/cp/sa.pub",
  serviceAccountKey: "/cp/sa.key",
  adminCert: "/cp/admin.crt",
  adminKey: "/cp/admin.key",
};
const setup = { dir: "/cp", etcdUrl: "http://127.0.0.1:2379", files };
const flag = (args: string[], name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

describe("apiserverArgs", () => {
  it("is the same for the same setup and port, so a restart serves the same cluster to the same kubeconfigs", () => {
    expect(apiserverArgs(setup, 6443)).toEqual(apiserverArgs({ ...setup }, 6443));
  });

  it.each([
    ["secure-port", "6443"],
    ["bind-address", "127.0.0.1"],
    ["service-account-issuer", "https://127.0.0.1:6443"],
    ["etcd-servers", "http://127.0.0.1:2379"],
    ["tls-cert-file", "/cp/serving.crt"],
    ["tls-private-key-file", "/cp/serving.key"],
    ["client-ca-file", "/cp/ca.crt"],
    ["service-account-key-file", "/cp/sa.pub"],
    ["service-account-signing-key-file", "/cp/sa.key"],
    ["authorization-mode", "RBAC"],
  ])("--%s=%s", (name, value) => {
    expect(flag(apiserverArgs(setup, 6443), name)).toBe(value);
  });

  it("differs only in the port-bound flags for another port", () => {
    const a = apiserverArgs(setup, 6443);
    const b = apiserverArgs(setup, 7443);
    const changed = a.filter((x, i) => x !== b[i]).map((x) => x.split("=")[0]);
    expect(changed).toEqual(["--secure-port", "--service-account-issuer"]);
    expect(flag(b, "service-account-issuer")).toBe(apiserverUrl(7443));
  });
});
