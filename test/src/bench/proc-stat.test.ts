import { describe, expect, it } from "vitest";
import { parseProcSample } from "./proc-stat.js";

describe("parseProcSample", () => {
  it("reads VmRSS and utime + stime, whatever the command name holds", () => {
    const status = "Name:\tnode\nVmPeak:\t  900000 kB\nVmRSS:\t   81920 kB\nThreads:\t11\n";
    const stat = "4242 (node (agent) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 11 0 123 456 789";
    expect(parseProcSample(status, stat)).toEqual({ rssBytes: 81920 * 1024, cpuSeconds: 3 });
  });
});
