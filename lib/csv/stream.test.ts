import { describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { csvHeaders, csvStream, neutraliseCell } from "./stream";

const read = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

describe("neutraliseCell", () => {
  it("prefixes a cell a spreadsheet would run as a formula, and leaves others alone", () => {
    for (const v of ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil")'])
      expect(neutraliseCell(v), JSON.stringify(v)).toBe(`'${v}`);
    for (const v of ["Checkout", "", "1-2", "a=b", " =1", "kp_live_x", "2026-11-30T00:00:00.000Z"]) expect(neutraliseCell(v)).toBe(v);
  });
});

describe("csvStream", () => {
  const columns = [
    { header: "Name", value: (r: { name: string; n: number | null }) => r.name },
    { header: "N", value: (r: { name: string; n: number | null }) => r.n },
  ];

  it("writes the header, quotes what needs quoting and neutralises formulas, through csv-stringify", async () => {
    async function* batches() {
      yield [
        { name: 'Comma, "quote"\nnew line', n: 1 },
        { name: "=cmd|' /C calc'!A0", n: null },
      ];
      yield [{ name: "-10+20", n: -3 }];
    }
    const text = await read(csvStream(columns, batches()));
    expect(text.startsWith("Name,N\r\n")).toBe(true);
    expect(parse(text)).toEqual([
      ["Name", "N"],
      ['Comma, "quote"\nnew line', "1"],
      ["'=cmd|' /C calc'!A0", ""],
      ["'-10+20", "'-3"],
    ]);
  });

  it("pulls one batch per read: later batches are not asked for before the reader wants them", async () => {
    const asked: number[] = [];
    async function* batches() {
      for (let i = 0; i < 5; i++) {
        asked.push(i);
        yield [{ name: `row ${i}`, n: i }];
      }
    }
    const reader = csvStream(columns, batches()).getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe("Name,N\r\n");
    expect(decoder.decode((await reader.read()).value)).toBe("row 0,0\r\n");
    await new Promise((r) => setTimeout(r, 20));
    expect(asked.length).toBeLessThanOrEqual(2);
    await reader.cancel();
    expect(asked.length).toBeLessThan(5);
  });

  it("names the file safely and is never cached", () => {
    const h = new Headers(csvHeaders('keys "x"/../y.csv'));
    expect(h.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(h.get("content-disposition")).toBe('attachment; filename="keys__x__.._y.csv"');
    expect(h.get("cache-control")).toBe("no-store");
  });
});
