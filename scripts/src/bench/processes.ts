import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** The repository root: every child runs from here, so `--import tsx` resolves from the root's node_modules. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface Child {
  name: string;
  /** The server's own pid: `node --import tsx` runs the file in this process (the tsx CLI would fork another). */
  pid: number;
  /** Resolves with the first output line (stdout or stderr) matching `pattern`; rejects when the process exits first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Peak resident set size so far (VmHWM), in MB; null once the process is gone. */
  peakRssMb(): number | null;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once (no shutdown hooks: a crash); resolves when it has exited. */
  kill(): Promise<void>;
  /** The last lines it printed (for error messages). */
  tail(): string;
}

/** Starts `node --import tsx <file>` from the repository root with exactly `env`. */
export function spawnNode(name: string, file: string, env: NodeJS.ProcessEnv): Child {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", file], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${file}`);
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  let exited: number | null | undefined;
  const exitWaiters = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      for (const line of parts) {
        lines.push(line);
        if (lines.length > 40) lines.shift();
        for (const listener of listeners) listener(line);
      }
    });
  }
  child.once("exit", (code) => {
    exited = code;
    for (const waiter of exitWaiters) waiter();
  });
  const pid = child.pid;
  return {
    name,
    pid,
    waitForLine: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          listeners.delete(onLine);
          exitWaiters.delete(onExit);
        };
        const onLine = (line: string) => {
          if (pattern.test(line)) done(), resolve(line);
        };
        const onExit = () => (done(), reject(new Error(`${name} exited (code ${exited}) before printing ${pattern}:\n${lines.join("\n")}`)));
        const timer = setTimeout(() => (done(), reject(new Error(`${name}: no ${pattern} within ${timeoutMs} ms:\n${lines.join("\n")}`))), timeoutMs);
        listeners.add(onLine);
        exitWaiters.add(onExit);
        if (exited !== undefined) onExit();
      }),
    peakRssMb: () => peakRssMb(pid),
    stop: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        if (exited !== undefined) return resolve();
        const kill = setTimeout(() => child.kill("SIGKILL"), graceMs);
        exitWaiters.add(() => (clearTimeout(kill), resolve()));
        child.kill("SIGTERM");
      }),
    kill: () =>
      new Promise<void>((resolve) => {
        if (exited !== undefined) return resolve();
        exitWaiters.add(() => resolve());
        child.kill("SIGKILL");
      }),
    tail: () => lines.join("\n"),
  };
}

/** VmHWM ("high water mark") of a live process, from /proc (Linux), in MB. */
export const peakRssMb = (pid: number) => statusMb(pid, "VmHWM");

/** VmRSS (resident set size right now) of a live process, from /proc (Linux), in MB; null once it is gone. */
export const rssMb = (pid: number) => statusMb(pid, "VmRSS");

function statusMb(pid: number, field: "VmHWM" | "VmRSS"): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a live process has used so far, in ms, from /proc/<pid>/stat; null once it is gone. */
export function cpuMs(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces, hence the last ")"): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** USER_HZ: /proc times are in 1/100 s on every Linux build Node runs on. */
const CLOCK_TICKS = 100;

/** A TCP port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something already listens on 127.0.0.1:`port` (the bench needs 4000–4005 for itself). */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
}

/** Polls a GraphQL endpoint with `{ __typename }` until it answers 200 (a gateway has loaded its supergraph). */
export async function waitForGraphQL(url: string, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: "{ __typename }" }) });
      await response.text();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (child && child.peakRssMb() === null) throw new Error(`${child.name} exited:\n${child.tail()}`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms${child ? `:\n${child.tail()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
