import { MAX_DIFF_REQUEST_BYTES, PROTOCOL_VERSION, type BusCodec, type DesiredBundle, type DiffRequest } from "@flotilla/shared";

export class DiffRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DiffRequestError";
  }
}

/**
 * The request for one bundle, encoded and checked as the agent will check it (pure): a request the
 * agent would drop, or one over the bus limit, is refused here with the reason, so nothing is sent
 * that could only time out. `maxBytes` is the smaller of MAX_DIFF_REQUEST_BYTES and the server's.
 */
export function encodeDiffRequest(codec: BusCodec, bundle: DesiredBundle, maxBytes = MAX_DIFF_REQUEST_BYTES): Uint8Array {
  const req: DiffRequest = { version: PROTOCOL_VERSION, kind: "DiffRequest", cluster: bundle.cluster, addon: bundle.addon, bundle };
  const data = codec.encode(req);
  if (data.byteLength > maxBytes) {
    throw new DiffRequestError(
      `the bundle of ${bundle.addon} for ${bundle.cluster} (${bundle.objects.length} objects) makes a diff request of ${kib(data.byteLength)}, over the bus limit of ${kib(maxBytes)}: it cannot be diffed over NATS`,
    );
  }
  const check = codec.decode(data, "DiffRequest");
  if (!check.ok) throw new DiffRequestError(`the bundle of ${bundle.addon} for ${bundle.cluster} is not a valid diff request: ${check.error}`);
  return data;
}

const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
