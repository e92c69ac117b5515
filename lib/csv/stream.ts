// CSV files for download: written by csv-stringify (quoting, embedded commas, quotes and line
// breaks), one batch at a time as the reader asks for more, so a large export never sits in memory.
import { stringify } from "csv-stringify/sync";

/**
 * A spreadsheet reads a cell starting with =, +, -, @, tab or carriage return as a formula
 * (CSV injection): such a cell gets a leading apostrophe, which shows it as the text it is.
 */
export const neutraliseCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export type CsvCell = string | number | null | undefined;
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => CsvCell;
}

const cells = <T>(columns: CsvColumn<T>[], row: T) =>
  columns.map((c) => {
    const v = c.value(row);
    return v === null || v === undefined ? "" : neutraliseCell(String(v));
  });

/** A byte stream of the header row, then each batch's rows, pulled one batch per read. */
export function csvStream<T>(columns: CsvColumn<T>[], batches: AsyncIterable<T[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  const write = (rows: CsvCell[][]) => encoder.encode(stringify(rows as string[][], { record_delimiter: "\r\n" }));
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(write([columns.map((c) => neutraliseCell(c.header))]));
      },
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else if (next.value.length) controller.enqueue(write(next.value.map((r) => cells(columns, r))));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}

/** The headers of a CSV download: never cached, always saved as a file. */
export function csvHeaders(filename: string): HeadersInit {
  return {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${filename.replace(/[^\w.-]/g, "_")}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  };
}
