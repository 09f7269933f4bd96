import type { Logger } from "@flotilla/shared";

/** What a session started, stopped in reverse order; a failing stop is logged and the rest still run. */
export class Stoppers {
  private readonly list: (() => Promise<void>)[] = [];

  constructor(private readonly logger: Logger) {}

  push(stop: () => Promise<void>): void {
    this.list.push(stop);
  }

  async stopAll(): Promise<void> {
    for (const s of this.list.splice(0).reverse()) await s().catch((err: unknown) => this.logger.warn({ err: String(err) }, "stop failed"));
  }
}
