// Compares prisma/schema.prisma with a migrated database, without Prisma's schema engine (which
// cannot be downloaded everywhere): tables, columns with their types and nullability, enums and
// indexes, named the way Prisma names them.
import { readFileSync } from "node:fs";

export interface ColumnShape {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
}
export interface IndexShape {
  table: string;
  name: string;
  columns: string[];
  unique: boolean;
}
export interface SchemaShape {
  tables: string[];
  columns: ColumnShape[];
  indexes: IndexShape[];
  enums: Record<string, string[]>;
}

const SCALARS: Record<string, string> = {
  String: "text",
  Int: "int4",
  BigInt: "int8",
  Boolean: "bool",
  Bytes: "bytea",
  DateTime: "timestamp",
  Json: "jsonb",
  Float: "float8",
  Decimal: "numeric",
};
const NATIVE: Record<string, string> = { VarChar: "varchar", Char: "bpchar", Uuid: "uuid", Timestamptz: "timestamptz", Text: "text" };

export function parsePrismaSchema(source: string): SchemaShape {
  const text = source.replace(/\/\/.*$/gm, "");
  const enums: Record<string, string[]> = {};
  for (const m of text.matchAll(/enum\s+(\w+)\s*\{([^}]*)\}/g)) enums[m[1]] = m[2].split(/\s+/).filter(Boolean);
  const models = [...text.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)].map((m) => ({ name: m[1], body: m[2] }));
  const modelNames = new Set(models.map((m) => m.name));
  const shape: SchemaShape = { tables: [], columns: [], indexes: [], enums };

  for (const model of models) {
    const table = /@@map\("([^"]+)"\)/.exec(model.body)?.[1] ?? model.name;
    shape.tables.push(table);
    const colOf = new Map<string, string>();
    let pk: string[] = [];
    for (const line of model.body
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("@@"))) {
      const [field, rawType] = line.split(/\s+/);
      const base = rawType.replace(/[?[\]]/g, "");
      if (modelNames.has(base)) continue; // relation field, no column
      const column = /@map\("([^"]+)"\)/.exec(line)?.[1] ?? field;
      colOf.set(field, column);
      const native = /@db\.(\w+)/.exec(line)?.[1];
      let type = native ? NATIVE[native] : (SCALARS[base] ?? base);
      if (rawType.endsWith("[]")) type = `_${type}`;
      // Prisma lists are stored as nullable arrays.
      shape.columns.push({ table, column, type, nullable: rawType.endsWith("?") || rawType.endsWith("[]") });
      if (/@id\b/.test(line)) pk = [column];
      if (/@unique\b/.test(line)) shape.indexes.push({ table, name: `${table}_${column}_key`, columns: [column], unique: true });
    }
    const cols = (list: string) => list.split(",").map((c) => colOf.get(c.trim().replace(/\(.*$/, "")) ?? c.trim());
    for (const m of model.body.matchAll(/@@(id|unique|index)\(\[([^\]]+)\]/g)) {
      const columns = cols(m[2]);
      if (m[1] === "id") pk = columns;
      else
        shape.indexes.push({
          table,
          name: `${table}_${columns.join("_")}_${m[1] === "unique" ? "key" : "idx"}`,
          columns,
          unique: m[1] === "unique",
        });
    }
    shape.indexes.push({ table, name: `${table}_pkey`, columns: pk, unique: true });
  }
  return shape;
}

export const readPrismaSchema = (path = "prisma/schema.prisma") => parsePrismaSchema(readFileSync(path, "utf8"));

type Query = <T>(sql: string) => Promise<T[]>;

export async function introspect(query: Query): Promise<SchemaShape> {
  const tables = await query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
  );
  const columns = await query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string }>(
    `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`,
  );
  const indexes = await query<{ table: string; name: string; unique: boolean; columns: string[] }>(`
    SELECT t.relname AS "table", i.relname AS name, ix.indisunique AS "unique",
           array_agg(a.attname::text ORDER BY k.ord) AS columns
    FROM pg_index ix
    JOIN pg_class i ON i.oid = ix.indexrelid
    JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'
    GROUP BY t.relname, i.relname, ix.indisunique`);
  const enumRows = await query<{ name: string; label: string }>(`
    SELECT t.typname AS name, e.enumlabel AS label FROM pg_enum e
    JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = current_schema() ORDER BY t.typname, e.enumsortorder`);
  const enums: Record<string, string[]> = {};
  for (const r of enumRows) (enums[r.name] ??= []).push(r.label);
  return {
    tables: tables.map((t) => t.table_name),
    columns: columns.map((c) => ({ table: c.table_name, column: c.column_name, type: c.udt_name, nullable: c.is_nullable === "YES" })),
    indexes: indexes.map((i) => ({ ...i, columns: [...i.columns] })),
    enums,
  };
}

/** Human-readable differences; empty when schema and database agree. */
export function diffShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const out: string[] = [];
  const setDiff = (label: string, a: string[], b: string[]) => {
    for (const x of a) if (!b.includes(x)) out.push(`${label} ${x} is in schema.prisma but not in the database`);
    for (const x of b) if (!a.includes(x)) out.push(`${label} ${x} is in the database but not in schema.prisma`);
  };
  setDiff("table", expected.tables, actual.tables);
  const col = (c: ColumnShape) => `${c.table}.${c.column} ${c.type}${c.nullable ? " NULL" : " NOT NULL"}`;
  setDiff("column", expected.columns.map(col), actual.columns.map(col));
  const idx = (i: IndexShape) => `${i.name} ON ${i.table}(${i.columns.join(", ")})${i.unique ? " UNIQUE" : ""}`;
  setDiff("index", expected.indexes.map(idx), actual.indexes.map(idx));
  const en = (e: Record<string, string[]>) => Object.entries(e).map(([k, v]) => `${k}(${v.join(",")})`);
  setDiff("enum", en(expected.enums), en(actual.enums));
  return out;
}
