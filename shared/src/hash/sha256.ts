import { createHash } from "node:crypto";

/** Lower-case hex sha256 of the bytes (a string is hashed as its UTF-8 bytes). */
export const sha256Hex = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
