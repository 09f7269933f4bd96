import type { Clock, Timer } from "@flotilla/shared";
import { jittered } from "../plan/work-plan.js";

/**
 * The level-based safety net: every resync period (±20%, so a fleet does not fire together) `tick`
 * runs. It only asks for looks (re-read the index, enqueue every addon); each addon's reconcile
 * decides from its own facts and the time what is due.
 */
export class ResyncTimer {
  private timer: Timer | undefined;
  private stopped = false;

  constructor(private readonly o: { clock: Clock; periodMs: number; tick: () => void; random?: () => number }) {}

  start(): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimer(() => {
      this.o.tick();
      this.start();
    }, jittered(this.o.periodMs, 0.2, this.o.random ?? Math.random));
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }
}
