/**
 * The regular files of an (uncompressed) tar archive (pure): enough of ustar, GNU long names and pax
 * `path` records to read a chart packaged by `helm package` (Go's archive/tar).
 */

export interface TarFile {
  path: string;
  data: Uint8Array;
}

const BLOCK = 512;
const text = (b: Uint8Array): string => new TextDecoder().decode(b.subarray(0, b.indexOf(0) === -1 ? b.length : b.indexOf(0)));
const octal = (b: Uint8Array): number => parseInt(text(b).trim() || "0", 8);

/** `path` from a pax extended header body ("<len> path=<value>\n" records). */
function paxPath(body: string): string | undefined {
  for (const record of body.split("\n")) {
    const m = /^\d+ path=(.*)$/.exec(record);
    if (m) return m[1];
  }
  return undefined;
}

export function tarFiles(archive: Uint8Array): TarFile[] {
  const files: TarFile[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break; // end of archive
    const size = octal(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] ?? 0);
    const data = archive.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L") {
      longName = text(data);
      continue;
    }
    if (type === "x") {
      longName = paxPath(new TextDecoder().decode(data)) ?? longName;
      continue;
    }
    const prefix = text(header.subarray(345, 500));
    const name = longName ?? (prefix ? `${prefix}/${text(header.subarray(0, 100))}` : text(header.subarray(0, 100)));
    longName = undefined;
    if (type === "0" || type === "\0") files.push({ path: name, data });
  }
  return files;
}
