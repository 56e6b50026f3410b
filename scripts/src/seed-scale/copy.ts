import { once } from "node:events";
import type { Duplex } from "node:stream";
import type pg from "pg";

/**
 * `COPY … FROM STDIN` over a `pg` client, without a dependency: a pg Submittable speaking the copy sub-protocol
 * (CopyData chunks, then CopyDone) — the same hooks pg-copy-streams uses. `chunks` yields text-format COPY data
 * (tab-separated columns, one row per line); writing waits for the socket to drain, so memory stays flat.
 */

/** The parts of pg's Connection the copy protocol needs (pg's typings omit them). */
interface CopyConnection {
  stream: Duplex;
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

class CopyFromStdin {
  private error: Error | undefined;
  private rows = 0;
  readonly done: Promise<number>;
  private settle!: { resolve: (rows: number) => void; reject: (error: Error) => void };

  constructor(
    private readonly text: string,
    private readonly chunks: AsyncIterable<string> | Iterable<string>,
  ) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  /** The server is ready for data: stream every chunk, then end the copy (or fail it when the source throws). */
  handleCopyInResponse(connection: CopyConnection): void {
    void (async () => {
      try {
        for await (const chunk of this.chunks) {
          if (this.error) return;
          connection.sendCopyFromChunk(Buffer.from(chunk, "utf8"));
          if (connection.stream.writableNeedDrain) await once(connection.stream, "drain");
        }
        connection.endCopyFrom();
      } catch (error) {
        connection.sendCopyFail(error instanceof Error ? error.message : String(error));
      }
    })();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rows = Number(/COPY (\d+)/.exec(message.text ?? "")?.[1] ?? 0);
  }

  handleError(error: Error): void {
    this.error = error;
    this.settle.reject(error);
  }

  handleReadyForQuery(): void {
    if (!this.error) this.settle.resolve(this.rows);
  }

  // Messages a COPY FROM never receives, but pg calls whatever is active.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs `COPY <table> (<columns>) FROM STDIN …` with the given data; resolves to the number of rows copied. */
export function copyFrom(client: pg.Client, copySql: string, chunks: AsyncIterable<string> | Iterable<string>): Promise<number> {
  const copy = new CopyFromStdin(copySql, chunks);
  client.query(copy as unknown as pg.Submittable);
  return copy.done;
}
