import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { malformedActionBody } from "./action-body";

// The encoder the browser uses, so the accepted shapes are the real ones.
const { encodeReply } = createRequire(import.meta.url)("next/dist/compiled/react-server-dom-webpack/client.node.js") as {
  encodeReply(args: unknown[]): Promise<string | FormData>;
};

async function asBody(reply: string | FormData): Promise<[Buffer, string]> {
  if (typeof reply === "string") return [Buffer.from(reply), "text/plain;charset=UTF-8"];
  const res = new Response(reply);
  return [Buffer.from(await res.arrayBuffer()), res.headers.get("content-type")!];
}
const check = async (reply: string | FormData) => malformedActionBody(...(await asBody(reply)));
const form = (rows: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(rows)) f.append(k, v);
  return f;
};

describe("server-action body shape", () => {
  it("accepts what React's encodeReply sends", async () => {
    const login = new FormData();
    login.append("email", "a@b.test");
    login.append("password", "x");
    for (const args of [
      [],
      ["a", 1, null, true],
      [{ error: "x" }, login],
      [new Map([["k", [1]]]), new Set([1]), new Date(0), 5n, undefined, "$dollar", -0, Infinity, NaN],
      [{ nested: [{ a: ["$"] }] }],
    ]) {
      expect(
        await check(await encodeReply(args)),
        JSON.stringify(args, (_k, v) => (typeof v === "bigint" ? String(v) : v)),
      ).toBeNull();
    }
  });

  it("refuses references to nothing and unknown tags, in text and multipart bodies", async () => {
    for (const text of [
      '["$Q"]',
      '["$Z"]',
      '"$Q"',
      '["$"]',
      '["$1"]',
      '["$@1"]',
      '[{"a":"$Q1"}]',
      '["$nxyz"]',
      '["$h"]',
      "{",
      "",
      '["$W2:x"]',
    ]) {
      expect(await check(text), text).not.toBeNull();
    }
    expect(await check(form({ "0": '["$Q1"]' }))).toMatch(/missing/);
    expect(await check(form({ "0": '["$Z"]' }))).toMatch(/bad reference/);
    expect(await check(form({ "1": "[]" }))).toMatch(/root/);
    expect(await check(form({ "0": '["$1"]', "1": "{" }))).toMatch(/JSON/);
    expect(await check(form({ "0": '["$a"]', "10": "[]" }))).toBeNull(); // ids are hex in references, decimal in names
  });

  it("leaves progressive-enhancement form posts to Next", async () => {
    expect(await check(form({ $ACTION_ID_abc: "", email: "$Q" }))).toBeNull();
  });

  it("refuses a body that claims to be multipart but is not", async () => {
    expect(await malformedActionBody(Buffer.from("garbage"), "multipart/form-data; boundary=x")).not.toBeNull();
  });
});
