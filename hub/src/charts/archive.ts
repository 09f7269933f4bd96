import { Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { extract } from "tar-stream";
import { ChartSourceError } from "./errors.js";

/** Helm's own bounds when it loads a chart (`MaxDecompressedChartSize`, `MaxDecompressedFileSize`). */
export const MAX_DECOMPRESSED_CHART_BYTES = 100 * 1024 * 1024;
export const MAX_CHART_FILE_BYTES = 5 * 1024 * 1024;

export interface ReadChartOptions {
  /** Where the archive came from (a URL or path), for messages. */
  source?: string;
  maxDecompressedBytes?: number;
  maxFileBytes?: number;
}

export interface ChartFiles {
  /** The archive's top directory (`cert-manager` in `cert-manager/Chart.yaml`). */
  topDir: string | undefined;
  /** Each requested name found, relative to the top directory, e.g. `values.schema.json`. */
  files: Map<string, Buffer>;
}

/**
 * Reads files of a chart archive (.tgz) by their path below the chart's top directory, as helm's loader
 * names them (`Chart.yaml`, `values.yaml`, `values.schema.json`; `charts/sub/Chart.yaml` is a subchart's),
 * listed or chosen by a predicate on that path.
 * The whole archive is read, so a truncated or corrupt one fails here. Streams gunzip into tar-stream and
 * keeps only the requested files; decompressed size is bounded (a gzip bomb is TooLarge, not an OOM).
 * Not gzip, not tar: NotAChart.
 */
export async function readChartFiles(tgz: Uint8Array, names: readonly string[] | ((path: string) => boolean), options: ReadChartOptions = {}): Promise<ChartFiles> {
  const source = options.source ?? "chart archive";
  const maxTotal = options.maxDecompressedBytes ?? MAX_DECOMPRESSED_CHART_BYTES;
  const maxFile = options.maxFileBytes ?? MAX_CHART_FILE_BYTES;
  const wanted = typeof names === "function" ? names : (path: string) => set.has(path);
  const set = new Set(typeof names === "function" ? [] : names);
  const files = new Map<string, Buffer>();
  let topDir: string | undefined;
  let entries = 0;

  const tar = extract();
  const flow = pipeline(Readable.from([Buffer.from(tgz)]), createGunzip(), new ByteLimit(maxTotal, source), tar);
  try {
    for await (const entry of tar) {
      entries++;
      const [top, rest] = splitTop(entry.header.name);
      topDir ??= top;
      if (entry.header.type === "file" && rest !== undefined && wanted(rest)) {
        if ((entry.header.size ?? 0) > maxFile) throw new ChartSourceError("TooLarge", source, `${source}: ${entry.header.name} is over ${maxFile} bytes`);
        files.set(rest, await collect(entry));
      } else {
        entry.resume();
      }
    }
    await flow;
  } catch (err) {
    tar.destroy();
    await flow.catch(() => undefined);
    if (err instanceof ChartSourceError) throw err;
    throw new ChartSourceError("NotAChart", source, `${source} is not a gzipped tar archive: ${(err as Error).message}`, { cause: err });
  }
  if (entries === 0) throw new ChartSourceError("NotAChart", source, `${source} is an empty archive; expected a chart`);
  return { topDir, files };
}

/** `./cm/templates/a.yaml` → [`cm`, `templates/a.yaml`]; a top-level entry has no rest. */
function splitTop(name: string): [string, string | undefined] {
  const clean = name.replace(/^(\.\/)+/, "").replace(/^\/+/, "");
  const slash = clean.indexOf("/");
  return slash < 0 ? [clean, undefined] : [clean.slice(0, slash), clean.slice(slash + 1)];
}

async function collect(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer); // tar-stream entries yield Buffers
  return Buffer.concat(chunks);
}

/** Fails the stream once more than `max` bytes passed. */
class ByteLimit extends Transform {
  private seen = 0;
  constructor(
    private readonly max: number,
    private readonly source: string,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) done(new ChartSourceError("TooLarge", this.source, `${this.source} decompresses to over ${this.max} bytes`));
    else done(null, chunk);
  }
}
