import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSupergraph, type TestSupergraph } from "./support.ts";

let t: TestSupergraph;
beforeAll(async () => {
  t = await startTestSupergraph();
});
afterAll(async () => t?.stop());

describe("the GraphQL sandbox at the gateway's URL", () => {
  it("serves GraphiQL with every asset inline, so it works with no internet access", async () => {
    const res = await fetch(t.url, { headers: { accept: "text/html" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain("renderYogaGraphiQL");
    // No external script, stylesheet or image: nothing with a src/href to another origin.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']https?:\/\//i);
    // The browser is told to load nothing from elsewhere (workers come from blob: URLs).
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("connect-src 'self'");
  });

  it("lets the user set request headers (header editor enabled, persisted)", async () => {
    const html = await (await fetch(t.url, { headers: { accept: "text/html" } })).text();
    expect(html).toContain('"isHeadersEditorEnabled":true');
    expect(html).toContain('"shouldPersistHeaders":true');
    // GraphiQL 5 fills the first tab's editors only from these (a default tab's variables are ignored).
    expect(html).toContain('"initialVariables"');
    expect(html).toContain('"initialHeaders"');
  });

  it("answers the same URL with GraphQL for API clients", async () => {
    const res = await t.query("{ __typename }");
    expect(res.data).toEqual({ __typename: "Query" });
  });
});
