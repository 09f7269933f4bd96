import { createServer } from "node:net";

/**
 * A TCP port the OS considers free on 127.0.0.1 right now. Another process may take it before ours
 * binds, so starters retry on "address already in use" (see `isAddressInUse`).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}

/** Whether a process log says a listen failed because the port was taken. */
export function isAddressInUse(log: string): boolean {
  return /address already in use|EADDRINUSE/i.test(log);
}
