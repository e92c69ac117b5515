// After the e2e run (server stopped): scans everything the flows left behind for the known secrets
// the security spec recorded, their SHA-256 hashes, the TOTP seed and the server's own secrets:
// the build output (.next/), the captured HTML/RSC/JSON responses and CSV downloads (e2e/audit.spec.ts
// keeps them there), the server log and the other instances' logs, and every
// database table but `credentials` (which holds the hashes by design), the audit log, the
// outbox (the mailbox), webhook payloads, attempts and encrypted signing secrets among them; the
// webhook signing secrets derived from the known key secrets are needles too. Invitation tokens are looked for too: only their hash may be
// stored, so a link (or a token seen anywhere in the run) in any table is a leak. Prints what it
// scanned; exits 1 on any match.
//   node --import tsx --import ./lib/server/register.mjs scripts/security/leak-scan.ts <e2e data dir>
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createHmac } from "node:crypto";

const dataDir = process.argv[2];
if (!dataDir || !existsSync(join(dataDir, "leak", "known.json"))) {
  console.error(`Leak scan: no known secrets in ${dataDir ?? "(no directory given)"}/leak/known.json — did the security spec run?`);
  process.exit(1);
}
process.env.KEYPORT_DATA_DIR = dataDir;
delete process.env.DATABASE_URL;
const known = JSON.parse(readFileSync(join(dataDir, "leak", "known.json"), "utf8")) as {
  secrets: string[];
  hashes: string[];
  seeds: string[];
  invitations?: string[];
};
// Seeds other specs enrolled (the full run) are looked for too. The demo owner's seed is not: it
// is public demo data, printed at start-up and listed in the README (docs/design.md §8).
const otherSeeds = join(dataDir, "otp", "secrets.json");
if (existsSync(otherSeeds)) known.seeds.push(...Object.values(JSON.parse(readFileSync(otherSeeds, "utf8")) as Record<string, string>));
// Keys the webhooks spec signed deliveries with, and the secrets the leaks spec reported: their secrets, and the signing secrets derived
// from them, which are stored only encrypted (webhook_signing_secrets) and never in a payload,
// an attempt or a response.
const webhookSecrets = join(dataDir, "leak", "webhooks.json");
if (existsSync(webhookSecrets)) known.secrets.push(...(JSON.parse(readFileSync(webhookSecrets, "utf8")) as string[]));
const signingSecrets = known.secrets.map((s) => createHmac("sha256", s).update("keyport-webhook-signing-v1").digest("base64"));
const serverSecrets = ["auth-secret", "encryption.key"]
  .map((f) => join(dataDir, f))
  .filter(existsSync)
  .map((f) => readFileSync(f, "utf8").trim());
const everything = [...new Set([...known.secrets, ...known.hashes, ...known.seeds, ...serverSecrets, ...signingSecrets])].filter(
  (s) => s.length >= 8,
);
// The action that creates a secret, a seed or recovery codes answers with them once, by design.
const actionNeedles = [...known.hashes, ...serverSecrets, ...signingSecrets];
if (known.secrets.length < 1 || serverSecrets.length < 2) {
  console.error("Leak scan: expected at least one secret and both server secrets to look for.");
  process.exit(1);
}

// Invitation tokens: the ones the specs recorded, and every one the run saw in a link. The server
// log (which prints links for new addresses outside production) and the answers of the invitation
// page itself carry them by design; the build and the database never may.
const INVITE_LINK = /\/invite\/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g;
const invitationTokens = new Set(known.invitations ?? []);
const recordedInvitations = join(dataDir, "leak", "invitations.json");
if (existsSync(recordedInvitations))
  for (const t of JSON.parse(readFileSync(recordedInvitations, "utf8")) as string[]) invitationTokens.add(t);
const harvest = (text: string) => {
  for (const m of text.matchAll(INVITE_LINK)) invitationTokens.add(m[1]);
};

const hits: string[] = [];
let files = 0;
let csvFiles = 0;
let bytes = 0;
const scanText = (where: string, text: string, needles = everything) => {
  bytes += text.length;
  for (const n of needles) if (text.includes(n)) hits.push(`${where}: ${n.slice(0, 10)}…`);
};
function walk(dir: string, visit: (file: string) => void) {
  for (const e of readdirSync(dir)) {
    const full = join(dir, e);
    const st = statSync(full);
    if (st.isDirectory()) walk(full, visit);
    else if (st.isFile()) visit(full);
  }
}

// 1. Every response the flows received.
walk(join(dataDir, "leak", "responses"), (f) => {
  files++;
  if (f.endsWith(".csv")) csvFiles++;
  const text = readFileSync(f, "utf8");
  harvest(text);
  scanText(f, text, f.endsWith(".action.txt") ? actionNeedles : everything);
});
// 2. The server log.
const log = join(dataDir, "server.log");
if (!existsSync(log)) hits.push("server.log is missing");
else {
  files++;
  const text = readFileSync(log, "utf8");
  harvest(text);
  scanText("server.log", text);
}
// The logs of the other processes the flows started (a second portal, verifiers: e2e/instances.ts).
if (existsSync(join(dataDir, "logs")))
  walk(join(dataDir, "logs"), (f) => {
    files++;
    const text = readFileSync(f, "utf8");
    harvest(text);
    scanText(f, text);
  });
const tokens = [...invitationTokens];
// 3. The build: client bundles, server chunks, prerendered pages.
walk(join(process.cwd(), ".next"), (f) => {
  if (f.includes(`${join(".next", "cache")}`)) return;
  files++;
  scanText(f, readFileSync(f, "latin1"), [...everything, ...tokens]);
});
// 4. The database, once the stopped server has let go of it (it flushes and closes on SIGTERM).
// The app owns its embedded server while it runs: wait for it to let go, then start the server here.
const { isKeyportProcess, readLockOwner } = await import("@/lib/db/app-lock");
const lockFile = join(dataDir, "keyport.pid");
for (let i = 0; i < 120 && isKeyportProcess(readLockOwner(lockFile)?.pid ?? 0); i++) await new Promise((r) => setTimeout(r, 500));
const { startAppDatabase } = await import("@/lib/db/engine");
const engine = await startAppDatabase(() => {});
const db = engine.database.prisma;
const tables = await db.$queryRaw<{ t: string }[]>`
  SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
  AND table_name NOT IN ('credentials', '_prisma_migrations') ORDER BY 1`;
let rows = 0;
for (const { t } of tables) {
  const dump = await db.$queryRawUnsafe<{ row: string }[]>(`SELECT x::text AS row FROM "${t}" x`);
  rows += dump.length;
  for (const r of dump) {
    scanText(`table ${t}`, r.row, [...everything, ...tokens]);
    for (const m of r.row.matchAll(INVITE_LINK)) hits.push(`table ${t}: an invitation link /invite/${m[1].slice(0, 6)}…`);
  }
}
// Webhook payloads, attempts and the encrypted signing secrets are scanned with every table; a
// scan that did not see them (renamed, or left out) fails instead of passing quietly.
for (const t of ["webhook_events", "webhook_deliveries", "webhook_attempts", "webhook_signing_secrets"])
  if (!tables.some((x) => x.t === t)) hits.push(`table ${t} was not scanned`);
// WebAuthn challenges: answered once to the browser that asked (a server action's answer), kept in
// their own table; never in the server log, a page, the build or any other table.
const challenges = (await db.webauthnChallenge.findMany({ select: { challenge: true } }))
  .map((c) => c.challenge)
  .filter((c) => c.length >= 16);
if (challenges.length) {
  scanText("server.log (WebAuthn challenges)", existsSync(log) ? readFileSync(log, "utf8") : "", challenges);
  walk(join(dataDir, "leak", "responses"), (f) => {
    if (!f.endsWith(".action.txt")) scanText(`${f} (WebAuthn challenges)`, readFileSync(f, "utf8"), challenges);
  });
  for (const { t } of tables.filter((x) => x.t !== "webauthn_challenges")) {
    const dump = await db.$queryRawUnsafe<{ row: string }[]>(`SELECT x::text AS row FROM "${t}" x`);
    for (const r of dump) scanText(`table ${t} (WebAuthn challenges)`, r.row, challenges);
  }
}
const audit = await db.auditEvent.count();
const mail = await db.outboxMail.count();
const webhooks = {
  events: await db.webhookEvent.count(),
  attempts: await db.webhookAttempt.count(),
  signingSecrets: await db.webhookSigningSecret.count(),
};
await engine.shutdown();

console.log(
  `Leak scan: ${everything.length + tokens.length} needles (${known.secrets.length} secrets and recovery codes, ${known.hashes.length} hashes, ${signingSecrets.length} derived webhook signing secrets, ${known.seeds.length} TOTP seeds, 2 server secrets, ${tokens.length} invitation tokens in the build and the database)`,
);
console.log(
  `  ${files} files (${csvFiles} CSV downloads; ${(bytes / 1e6).toFixed(1)} MB with the database), ${tables.length} tables, ${rows} rows (${audit} audit events, ${mail} mails, ${webhooks.events} webhook events, ${webhooks.attempts} attempts, ${webhooks.signingSecrets} encrypted signing secrets; ${challenges.length} WebAuthn challenges looked for outside their table): ${hits.length} matches`,
);
for (const h of [...new Set(hits)].slice(0, 20)) console.log(`  LEAK ${h}`);
process.exit(hits.length ? 1 : 0);
