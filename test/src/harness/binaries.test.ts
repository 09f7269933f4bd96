import { describe, expect, it } from "vitest";
import { parseCacheDirs, planBinaries } from "./binaries.js";

const dirs = { kube: "/c/kubernetes-v1.35.4", etcd: "/c/etcd-v3.6.16", nats: "/c/nats-server-v2.12.15", helm: "/c/helm-v4.3.2", registry: "/c/registry-v3.1.2", prometheus: "/c/prometheus-v0.316.0" };
const cached = [
  "/c/kubernetes-v1.35.4/kube-apiserver",
  "/c/kubernetes-v1.35.4/kube-controller-manager",
  "/c/kubernetes-v1.35.4/kubectl",
  "/c/etcd-v3.6.16/etcd",
  "/c/nats-server-v2.12.15/nats-server",
  "/c/helm-v4.3.2/helm",
];
const has = (...paths: string[]) => (p: string) => paths.includes(p);

describe("planBinaries", () => {
  it("uses the cache when everything is built", () => {
    expect(planBinaries({}, dirs, has(...cached))).toEqual({
      binaries: {
        kubeApiserver: "/c/kubernetes-v1.35.4/kube-apiserver",
        kubeControllerManager: "/c/kubernetes-v1.35.4/kube-controller-manager",
        kubectl: "/c/kubernetes-v1.35.4/kubectl",
        etcd: "/c/etcd-v3.6.16/etcd",
        natsServer: "/c/nats-server-v2.12.15/nats-server",
        helm: "/c/helm-v4.3.2/helm",
      },
      build: [],
    });
  });

  it("builds what is missing, and expects the controller manager from the kube build", () => {
    const plan = planBinaries({}, dirs, has("/c/etcd-v3.6.16/etcd"));
    expect(plan.build.sort()).toEqual(["helm", "kube", "nats"]);
    expect(plan.binaries.kubeControllerManager).toBe("/c/kubernetes-v1.35.4/kube-controller-manager");
  });

  it("rebuilds kube when only kubectl is missing from an older cache", () => {
    const plan = planBinaries({}, dirs, has(...cached.filter((p) => !p.endsWith("/kubectl"))));
    expect(plan.build).toEqual(["kube"]);
    expect(plan.binaries.kubectl).toBe("/c/kubernetes-v1.35.4/kubectl");
  });

  it("honours TEST_ASSET_* over everything", () => {
    const env = {
      TEST_ASSET_KUBE_APISERVER: "/x/kas",
      TEST_ASSET_ETCD: "/x/etcd",
      TEST_ASSET_NATS_SERVER: "/x/nats",
      TEST_ASSET_KUBE_CONTROLLER_MANAGER: "/x/kcm",
      TEST_ASSET_HELM: "/x/helm",
      KUBEBUILDER_ASSETS: "/kb",
    };
    expect(planBinaries(env, dirs, has("/kb/kube-apiserver", "/kb/etcd"))).toEqual({
      binaries: { kubeApiserver: "/x/kas", kubeControllerManager: "/x/kcm", etcd: "/x/etcd", natsServer: "/x/nats", helm: "/x/helm" },
      build: [],
    });
  });

  it("takes KUBEBUILDER_ASSETS for kube and etcd, without building kube or inventing a controller manager", () => {
    const plan = planBinaries({ KUBEBUILDER_ASSETS: "/kb" }, dirs, has("/kb/kube-apiserver", "/kb/etcd", "/c/nats-server-v2.12.15/nats-server", "/c/helm-v4.3.2/helm"));
    expect(plan).toEqual({
      binaries: { kubeApiserver: "/kb/kube-apiserver", etcd: "/kb/etcd", natsServer: "/c/nats-server-v2.12.15/nats-server", helm: "/c/helm-v4.3.2/helm" },
      build: [],
    });
  });

  it("takes a controller manager from KUBEBUILDER_ASSETS, or the cache when built", () => {
    expect(planBinaries({ KUBEBUILDER_ASSETS: "/kb" }, dirs, has("/kb/kube-apiserver", "/kb/etcd", "/kb/kube-controller-manager")).binaries.kubeControllerManager).toBe(
      "/kb/kube-controller-manager",
    );
    expect(planBinaries({ TEST_ASSET_KUBE_APISERVER: "/x/kas" }, dirs, has(...cached)).binaries.kubeControllerManager).toBe(
      "/c/kubernetes-v1.35.4/kube-controller-manager",
    );
  });

  it("falls back to the cache for a binary KUBEBUILDER_ASSETS lacks", () => {
    const plan = planBinaries({ KUBEBUILDER_ASSETS: "/kb" }, dirs, has("/kb/kube-apiserver"));
    expect(plan.binaries.etcd).toBe("/c/etcd-v3.6.16/etcd");
    expect(plan.build.sort()).toEqual(["etcd", "helm", "nats"]);
  });

  it("ignores empty variables", () => {
    expect(planBinaries({ TEST_ASSET_ETCD: "", KUBEBUILDER_ASSETS: "" }, dirs, has(...cached)).binaries.etcd).toBe("/c/etcd-v3.6.16/etcd");
  });
});

describe("parseCacheDirs", () => {
  it("reads the script's --print-dirs output", () => {
    expect(parseCacheDirs("KUBE_DIR=/c/k\nETCD_DIR=/c/e\nNATS_DIR=/c/n\nHELM_DIR=/c/h\nREGISTRY_DIR=/c/r\nPROMETHEUS_DIR=/c/p\n")).toEqual({
      kube: "/c/k",
      etcd: "/c/e",
      nats: "/c/n",
      helm: "/c/h",
      registry: "/c/r",
      prometheus: "/c/p",
    });
  });

  it("rejects relative or missing dirs", () => {
    expect(() => parseCacheDirs("KUBE_DIR=k\nETCD_DIR=/e\nNATS_DIR=/n")).toThrow(/KUBE_DIR/);
    expect(() => parseCacheDirs("KUBE_DIR=/k\nETCD_DIR=/e")).toThrow(/NATS_DIR/);
  });
});
