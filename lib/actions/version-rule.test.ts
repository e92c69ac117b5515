// The portal's half of the version rule: every action that changes one key requires the version
// the page showed (the API's half is in lib/api/api.test.ts).
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  destructiveSchema,
  editKeyActionSchema,
  extendGraceSchema,
  ipAllowListActionSchema,
  rollbackSchema,
  rotateKeySchema,
  toggleKeySchema,
} from "@/lib/keys/schema";

const keyId = "7a3f8c2e-1b4d-4e5f-9a6b-0c1d2e3f4a5b";
const CASES: [string, z.ZodType, Record<string, unknown>][] = [
  ["disable / enable", toggleKeySchema, { keyId, confirmed: true }],
  ["revoke, delete, regenerate, revoke previous", destructiveSchema, { keyId, confirmed: true, otp: "123456" }],
  ["rollback", rollbackSchema, { keyId, confirmed: true, otp: "123456" }],
  ["extend grace", extendGraceSchema, { keyId, until: "2030-01-01T00:00:00.000Z", confirmed: true, otp: "123456" }],
  ["rotate", rotateKeySchema, { keyId, grace: "24h", confirmed: true, otp: "123456" }],
  ["edit", editKeyActionSchema, { keyId, name: "Checkout", description: "" }],
  ["IP allow-list", ipAllowListActionSchema, { keyId, ipAllowList: [] }],
];

describe("every key-changing action requires the version the page showed", () => {
  for (const [name, schema, input] of CASES)
    it(name, () => {
      expect(schema.safeParse({ ...input, version: 3 }).success, "the control: with a version it parses").toBe(true);
      const without = schema.safeParse(input);
      expect(without.success).toBe(false);
      expect(without.error?.issues.map((i) => i.path.join("."))).toContain("version");
    });
});
