import pg from "pg";

/**
 * Creates the scale database when it is missing; with `reset`, drops it first (and whatever is connected to it).
 * Talks to the server's maintenance database `postgres` at the same address.
 */
export async function ensureDatabase(url: string, reset: boolean): Promise<"created" | "exists"> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new Error(`${url} names no database`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const ident = `"${name.replaceAll('"', '""')}"`;
    if (reset) await client.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount) return "exists";
    await client.query(`CREATE DATABASE ${ident}`);
    return "created";
  } finally {
    await client.end();
  }
}
