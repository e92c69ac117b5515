import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { CustomHash } from "@/lib/keys/custom-credentials";

/**
 * Checks Basic-auth passwords (Argon2id, or legacy scrypt) on threads of their own. The async `crypto.scrypt` runs on
 * libuv's shared pool of 4 threads, the same pool the portal's Argon2 sign-in, file reads and DNS
 * queue on: 32 concurrent guesses made /login wait behind ~600 ms of hashing. Here guesses queue on
 * at most `threads` workers (one core of two by default) and the queue is bounded.
 */
export class HashPoolBusy extends Error {
  constructor() {
    super("Too many password checks are waiting.");
  }
}

// Plain CommonJS so the worker needs no TypeScript loader (tsx, Vitest and `node` all run it).
// Argon2id (today's hashes) through @node-rs/argon2's synchronous verify, on this thread; scrypt
// for rows written before it.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { scryptSync, timingSafeEqual } = require("node:crypto");
const argon2 = require(workerData.argon2);
parentPort.on("message", ({ id, password, hash }) => {
  let ok = false;
  try {
    if (hash.scheme === "argon2id") ok = argon2.verifySync(hash.phc, password);
    else {
      const expected = Buffer.from(hash.key, "base64url");
      const actual = scryptSync(password, Buffer.from(hash.salt, "base64url"), expected.length, { N: hash.n, r: hash.r, p: hash.p, maxmem: 64 * 1024 * 1024 });
      ok = expected.length > 0 && timingSafeEqual(expected, actual);
    }
  } catch {}
  parentPort.postMessage({ id, ok });
});`;
const ARGON2 = createRequire(import.meta.url).resolve("@node-rs/argon2");

interface Task {
  id: number;
  password: string;
  hash: CustomHash;
  resolve: (ok: boolean) => void;
  reject: (e: Error) => void;
}

export class PasswordPool {
  private idle: Worker[] = [];
  private busy = new Map<Worker, Task>();
  private queue: Task[] = [];
  private started = 0;
  private nextId = 0;

  constructor(
    readonly threads = Math.max(1, Math.min(2, availableParallelism() - 1)),
    readonly maxQueued = 64,
  ) {}

  /** Resolves whether `password` matches; rejects with HashPoolBusy when the queue is full. */
  verify(hash: CustomHash, password: string): Promise<boolean> {
    if (this.queue.length >= this.maxQueued) return Promise.reject(new HashPoolBusy());
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, password, hash, resolve, reject });
      this.pump();
    });
  }

  get waiting() {
    return this.queue.length;
  }

  private pump() {
    while (this.queue.length) {
      const worker = this.idle.pop() ?? (this.started < this.threads ? this.spawn() : undefined);
      if (!worker) return;
      const task = this.queue.shift()!;
      this.busy.set(worker, task);
      worker.postMessage({ id: task.id, password: task.password, hash: task.hash });
    }
  }

  private spawn() {
    const worker = new Worker(WORKER, { eval: true, workerData: { argon2: ARGON2 } });
    this.started++;
    worker.unref(); // an idle pool never keeps the process alive
    worker.on("message", ({ ok }: { ok: boolean }) => {
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      task?.resolve(ok);
      this.pump();
    });
    worker.on("error", (err) => this.lost(worker, err));
    worker.on("exit", () => this.lost(worker, new Error("password worker exited")));
    return worker;
  }

  /** A dead worker fails its own task only; the next check starts a fresh one. */
  private lost(worker: Worker, err: Error) {
    if (!this.busy.has(worker) && !this.idle.includes(worker)) return;
    const task = this.busy.get(worker);
    this.busy.delete(worker);
    this.idle = this.idle.filter((w) => w !== worker);
    this.started--;
    task?.reject(err);
    this.pump();
  }

  async close() {
    const all = [...this.idle, ...this.busy.keys()];
    this.idle = [];
    for (const t of this.queue.splice(0)) t.reject(new Error("password pool closed"));
    await Promise.all(all.map((w) => w.terminate()));
  }
}
