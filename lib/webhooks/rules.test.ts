import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { MAX_ATTEMPTS, RETRY_SCHEDULE_MS, retryDelayMs } from "./schedule";
import { endpointUrlProblem, PRIVATE_ADDRESS } from "./url-safety";
import { deriveSigningSecret, signDelivery } from "./signing";
import { eventTypeOf, keyEventPayload } from "./events";

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const DEV = { production: false, allowLoopback: false };
const PROD = { production: true, allowLoopback: false };

afterEach(() => {
  delete process.env.KEYPORT_WEBHOOK_BACKOFF_SCALE;
  delete process.env.KEYPORT_ENV;
});

describe("the retry schedule", () => {
  it("waits about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then gives up after the eighth attempt", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n))).toEqual([5 * S, 5 * MIN, 30 * MIN, 2 * H, 5 * H, 10 * H, 10 * H]);
    expect(RETRY_SCHEDULE_MS).toHaveLength(7);
    expect(MAX_ATTEMPTS).toBe(8);
  });

  it("is shortened only by KEYPORT_WEBHOOK_BACKOFF_SCALE, and never in production", () => {
    process.env.KEYPORT_WEBHOOK_BACKOFF_SCALE = "0.001";
    expect(retryDelayMs(1)).toBe(5);
    expect(retryDelayMs(2)).toBe(300);
    process.env.KEYPORT_ENV = "production";
    expect(retryDelayMs(2)).toBe(5 * MIN);
  });
});

describe("endpoint URLs (SSRF)", () => {
  it.each([
    ["https://10.0.0.1/hook"],
    ["https://169.254.169.254/latest/meta-data"],
    ["https://[::1]/hook"],
    ["https://0.0.0.0/hook"],
    ["https://127.0.0.1/hook"],
    ["https://[::ffff:127.0.0.1]/hook"],
    ["https://192.168.1.20/hook"],
    ["https://224.0.0.1/hook"],
    ["https://100.100.100.200/hook"],
    ["https://[fd00:ec2::254]/hook"],
  ])("refuses %s", async (url) => {
    expect(await endpointUrlProblem(url, DEV)).toBe(PRIVATE_ADDRESS);
  });

  it("refuses a name that resolves to 127.0.0.1 (localhost), and one that resolves to a public and a private address", async () => {
    expect(await endpointUrlProblem("https://localhost/hook", DEV)).toBe(PRIVATE_ADDRESS);
    expect(await endpointUrlProblem("https://rebind.example/hook", DEV, async () => ["93.184.215.14", "10.1.2.3"])).toBe(PRIVATE_ADDRESS);
    expect(await endpointUrlProblem("https://public.example/hook", DEV, async () => ["93.184.215.14"])).toBeNull();
  });

  it("allows only https:// in production, http:// too elsewhere; never credentials in the URL or other schemes", async () => {
    expect(await endpointUrlProblem("http://93.184.215.14/hook", PROD)).toBe("Only https:// URLs are allowed.");
    expect(await endpointUrlProblem("https://93.184.215.14/hook", PROD)).toBeNull();
    expect(await endpointUrlProblem("http://93.184.215.14/hook", DEV)).toBeNull();
    expect(await endpointUrlProblem("ftp://93.184.215.14/hook", DEV)).toMatch(/https/);
    expect(await endpointUrlProblem("https://user:pw@93.184.215.14/hook", DEV)).toMatch(/user name or password/);
    expect(await endpointUrlProblem("not a url", DEV)).toMatch(/full URL/);
  });

  it("KEYPORT_WEBHOOKS_ALLOW_PRIVATE opens loopback only: private and metadata addresses stay refused", async () => {
    const loopback = { production: false, allowLoopback: true };
    expect(await endpointUrlProblem("http://127.0.0.1:8080/hook", loopback)).toBeNull();
    expect(await endpointUrlProblem("http://localhost:8080/hook", loopback)).toBeNull();
    expect(await endpointUrlProblem("http://[::1]:8080/hook", loopback)).toBeNull();
    expect(await endpointUrlProblem("http://10.0.0.1/hook", loopback)).toBe(PRIVATE_ADDRESS);
    expect(await endpointUrlProblem("http://169.254.169.254/", loopback)).toBe(PRIVATE_ADDRESS);
    expect(await endpointUrlProblem("http://0.0.0.0:8080/", loopback)).toBe(PRIVATE_ADDRESS);
  });
});

describe("signatures", () => {
  const apiSecret = "kp_test_0123456789abcdefghijABCDEFGHIJ012345";

  it("derive the signing secret as base64(HMAC-SHA256(key = API secret, label))", () => {
    const expected = createHmac("sha256", Buffer.from(apiSecret, "utf8")).update("keyport-webhook-signing-v1").digest("base64");
    expect(deriveSigningSecret(apiSecret)).toBe(expected);
    expect(Buffer.from(deriveSigningSecret(apiSecret), "base64")).toHaveLength(32);
    expect(deriveSigningSecret(`${apiSecret}x`)).not.toBe(expected);
  });

  it("carry one signature per secret, space-separated, each verifying with standardwebhooks on its own", () => {
    const oldSecret = deriveSigningSecret(apiSecret);
    const newSecret = deriveSigningSecret("kp_test_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ999999");
    const body = JSON.stringify({ type: "key.rotated", data: {} });
    const headers = signDelivery("msg_1", new Date(), body, [newSecret, oldSecret]);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(newSecret).verify(body, headers)).toEqual(JSON.parse(body));
    const single = signDelivery("msg_1", new Date(), body, [newSecret]);
    expect(() => new Webhook(oldSecret).verify(body, single)).toThrow();
    expect(() => new Webhook(deriveSigningSecret("another")).verify(body, headers)).toThrow();
  });
});

describe("events", () => {
  it("map every key audit action the services write, and nothing else", () => {
    expect(eventTypeOf("key.duplicated")).toBe("key.created");
    expect(eventTypeOf("key.ip_allow_list_updated")).toBe("key.updated");
    expect(eventTypeOf("member.removed")).toBeNull();
  });

  it("carry named fields only: extra properties of the key row (hashes, secrets) never reach the payload", () => {
    const at = new Date("2026-11-23T10:00:00Z");
    const row = {
      id: "k1",
      merchantId: "m1",
      name: "n",
      status: "ENABLED",
      environment: "sandbox",
      channel: "REST",
      createdAt: at,
      updatedAt: at,
      expiresAt: at,
      lastRotatedAt: null,
      secretHash: "deadbeef".repeat(8),
      secret: "kp_test_leak",
    };
    const json = JSON.stringify(keyEventPayload("key.created", row, at));
    expect(json).not.toContain("deadbeef");
    expect(json).not.toContain("kp_test_leak");
    expect(Object.keys(JSON.parse(json))).toEqual(["type", "timestamp", "data"]);
  });
});
