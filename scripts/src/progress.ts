/** Step-by-step progress on stderr: "· migrating products … 1 applied (120 ms)". */
export function stepPrinter(out: NodeJS.WriteStream = process.stderr) {
  return (step: string) => {
    const started = performance.now();
    out.write(`  · ${step} … `);
    return (done?: string) => out.write(`${done ? `${done} ` : "done "}(${Math.round(performance.now() - started)} ms)\n`);
  };
}
