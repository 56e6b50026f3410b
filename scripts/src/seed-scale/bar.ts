/**
 * A one-line progress bar on stderr for the bulk load: "  · stock  [#######-----]  58%  5.8M/10M  21 s".
 * Redrawn at most every 250 ms (and at the end), so it costs nothing next to the rows it counts.
 */
export interface Bar {
  tick(done: number): void;
  finish(note?: string): void;
}

const WIDTH = 30;
const human = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : String(n));

export function progressBar(label: string, total: number, out: NodeJS.WriteStream = process.stderr): Bar {
  const started = performance.now();
  let last = 0;
  let current = 0;
  const draw = (final: boolean) => {
    const ratio = total > 0 ? Math.min(1, current / total) : 1;
    const filled = Math.round(ratio * WIDTH);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const line = `  · ${label.padEnd(18)} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${human(current)}/${human(total)}  ${seconds} s`;
    // On a terminal redraw in place; in a log, print only the final line.
    if (out.isTTY) out.write(`\r${line}${final ? "\n" : ""}`);
    else if (final) out.write(`${line}\n`);
  };
  return {
    tick(done) {
      current = done;
      const now = performance.now();
      if (now - last >= 250) {
        last = now;
        draw(false);
      }
    },
    finish(note) {
      draw(true);
      if (note) out.write(`    ${note}\n`);
    },
  };
}
