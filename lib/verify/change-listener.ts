import pg from "pg";

/** The channel the key_changes trigger notifies (migration 20261130170000_key_changes_notify). */
export const KEY_CHANGES_CHANNEL = "keyport_key_changes";

export interface ChangeListener {
  /** Whether the LISTEN connection is up (the poll slows down to a fallback while it is). */
  readonly connected: boolean;
  stop(): Promise<void>;
}

/**
 * LISTENs on one dedicated connection (not from the pool: a pooled client would be handed to
 * queries) and calls `onChange` on every notification and after every (re)connect, so that a
 * change committed while the connection was down is replayed by the feed from where it was.
 */
export function listenForKeyChanges(url: string, onChange: () => void, log: Pick<Console, "error"> = console): ChangeListener {
  let client: pg.Client | null = null;
  let connected = false;
  let stopped = false;
  let retryMs = 100;
  let timer: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url, keepAlive: true });
    client = c;
    const lost = (err?: Error) => {
      if (client !== c) return;
      client = null;
      connected = false;
      c.end().catch(() => {});
      if (stopped) return;
      if (err) log.error(`[verify] change listener lost its connection: ${err.message}; retrying`);
      timer = setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
    c.on("error", lost);
    c.on("end", () => lost());
    c.on("notification", () => onChange());
    try {
      await c.connect();
      await c.query(`LISTEN ${KEY_CHANGES_CHANNEL}`);
      connected = true;
      retryMs = 100;
      onChange(); // replay what committed while we were not listening
    } catch (err) {
      lost(err as Error);
    }
  };
  void connect();

  return {
    get connected() {
      return connected;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      connected = false;
      await c?.end().catch(() => {});
    },
  };
}
