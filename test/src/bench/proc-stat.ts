import { readFile } from "node:fs/promises";

/** Resident set and CPU time of a process, from /proc (Linux). */
export interface ProcSample {
  rssBytes: number;
  /** user + system CPU time, in seconds. */
  cpuSeconds: number;
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux we run on). */
const USER_HZ = 100;

/** Parses /proc/<pid>/status (VmRSS) and /proc/<pid>/stat (utime, stime). Pure. */
export function parseProcSample(status: string, stat: string): ProcSample {
  const rssKb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  // fields after the command name in parentheses (which may contain spaces): state is field 3
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return { rssBytes: rssKb * 1024, cpuSeconds: (utime + stime) / USER_HZ };
}

export async function sampleProcess(pid: number): Promise<ProcSample> {
  const [status, stat] = await Promise.all([readFile(`/proc/${pid}/status`, "utf8"), readFile(`/proc/${pid}/stat`, "utf8")]);
  return parseProcSample(status, stat);
}
