// Which Chromium the end-to-end tests drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else
// the binary shipped inside the @sparticuz/chromium package (a devDependency), unpacked on first use.
import { existsSync } from "node:fs";

export async function resolveChromium() {
  for (const p of [process.env.CHROMIUM_PATH, "/usr/bin/chromium"]) if (p && existsSync(p)) return p;
  try {
    const { default: packaged } = await import("@sparticuz/chromium");
    return await packaged.executablePath();
  } catch (err) {
    throw new Error(
      `No Chromium found (CHROMIUM_PATH, /usr/bin/chromium, @sparticuz/chromium): ${err instanceof Error ? err.message : err}`,
    );
  }
}
