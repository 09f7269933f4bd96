/** A binary the harness needs is missing or not executable. */
export class BinaryNotFoundError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BinaryNotFoundError";
  }
}

/** A process could not be spawned, or exited before it became ready. */
export class ProcessStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProcessStartError";
  }
}

/** A readiness check did not pass in time. */
export class ReadinessTimeoutError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ReadinessTimeoutError";
  }
}

/** Processes or temp dirs of a harness run were still there at the end of the run. */
export class HarnessLeakError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HarnessLeakError";
  }
}
