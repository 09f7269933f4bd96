import { createCurve, fromCurveSeed, type KeyPair } from "@nats-io/nkeys";
import { sha256Hex, type DesiredBundle } from "@flotilla/shared";

/**
 * Seals a bundle's objects for one cluster's agent (NaCl box, curve25519): the hub's curve key to the
 * encryption key the agent made itself and registered. The nonce is derived from the recipient and the
 * plaintext, so the same objects for the same cluster seal to the same bytes: an unchanged bundle keeps
 * its digest (and is not rewritten) across renders and hub restarts, while different plaintexts never
 * share a nonce.
 */
export class BundleSealer {
  private readonly key: KeyPair;

  /** `seed`: the issuer kit's sealing key (`SX…`); without it a key for this process alone. */
  constructor(seed?: string) {
    this.key = seed ? fromCurveSeed(new TextEncoder().encode(seed)) : createCurve();
  }

  get publicKey(): string {
    return this.key.getPublicKey();
  }

  seal(bundle: DesiredBundle, recipient: string): DesiredBundle {
    const plain = new TextEncoder().encode(JSON.stringify(bundle.objects));
    const nonce = Buffer.from(sha256Hex(`${recipient}\n${sha256Hex(plain)}`), "hex").subarray(0, 24);
    const box = this.key.seal(plain, recipient, nonce);
    return { ...bundle, objects: [], sealed: { sender: this.key.getPublicKey(), box: Buffer.from(box).toString("base64") } };
  }
}
