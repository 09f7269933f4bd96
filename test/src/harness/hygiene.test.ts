import { describe, expect, it } from "vitest";
import { describeLeaks, findLeakedDirs, findLeakedProcesses, ppidFromStat, runIdFromEnviron, type ProcessInfo } from "./hygiene.js";

const self = { pid: 100, execPath: "/usr/bin/node" };
const proc = (pid: number, ppid: number, exe: string, runId?: string): ProcessInfo => ({ pid, ppid, exe, command: exe, runId });

describe("findLeakedProcesses", () => {
  it.each<[string, ProcessInfo, boolean]>([
    ["a harness child of a worker", proc(300, 200, "/cache/etcd", "r1"), true],
    ["an orphan (worker gone)", proc(301, 1, "/cache/kube-apiserver", "r1"), true],
    ["a node grandchild (agent started by a test)", proc(302, 200, "/usr/bin/node", "r1"), true],
    ["a non-node direct child", proc(303, 100, "/cache/nats-server", "r1"), true],
    ["this process", proc(100, 50, "/usr/bin/node", "r1"), false],
    ["a test worker (node child of this process)", proc(200, 100, "/usr/bin/node", "r1"), false],
    ["another run", proc(304, 1, "/cache/etcd", "r2"), false],
    ["no run id", proc(305, 1, "/cache/etcd"), false],
  ])("%s → leaked: %s", (_, p, leaked) => {
    expect(findLeakedProcesses([p], "r1", self)).toEqual(leaked ? [p] : []);
  });
});

describe("findLeakedDirs", () => {
  it("matches only this run's prefix", () => {
    const entries = ["flotilla-r1-cp-hub-abc", "flotilla-r1-nats-x", "flotilla-r10-cp-x", "flotilla-r2-cp-x", "other"];
    expect(findLeakedDirs(entries, "r1", "/tmp")).toEqual(["/tmp/flotilla-r1-cp-hub-abc", "/tmp/flotilla-r1-nats-x"]);
  });
});

describe("/proc parsing", () => {
  it.each([
    ["PATH=/bin\0FLOTILLA_HARNESS_RUN=abc\0HOME=/root\0", "abc"],
    ["FLOTILLA_HARNESS_RUN_X=1\0", undefined],
    ["", undefined],
  ])("runIdFromEnviron(%j) → %s", (environ, id) => {
    expect(runIdFromEnviron(environ)).toBe(id);
  });

  it("reads the ppid even when the command name has spaces and parentheses", () => {
    expect(ppidFromStat("1234 (we ird) (name)) S 567 1234 1234 0 -1 4194560")).toBe(567);
  });
});

describe("describeLeaks", () => {
  it("names every process and dir", () => {
    const text = describeLeaks("r1", { processes: [proc(300, 1, "/cache/etcd", "r1")], dirs: ["/tmp/flotilla-r1-x"] });
    expect(text).toContain("1 process(es) and 1 temp dir(s)");
    expect(text).toContain("process 300: /cache/etcd");
    expect(text).toContain("dir /tmp/flotilla-r1-x");
  });
});
