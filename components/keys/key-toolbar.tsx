"use client";
import { useEffect, useRef, useState } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { CHANNELS, CHANNEL_LABELS, type Channel, type Environment } from "@/lib/keys/types";
import { controlClass } from "@/components/ui/control";
import { cn } from "@/components/ui/cn";
import { TabNav } from "@/components/ui/tab-nav";

/** Environment switch, channel filter and search, all kept in the URL. */
export function KeyToolbar({ env, channel, q }: { env?: Environment; channel?: Channel; q?: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const href = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete("page"); // a new filter starts on page 1
    const qs = next.toString();
    return qs ? `${pathname}?${qs}` : pathname;
  };
  // Search as the user types: the URL follows the box after a short pause (replace, so Back
  // leaves the page rather than stepping through every letter); Enter searches at once.
  const [text, setText] = useState(q ?? "");
  const sent = useRef(q ?? "");
  const search = (value: string) => {
    const v = value.trim();
    if (v === sent.current) return;
    sent.current = v;
    router.replace(href({ q: v || undefined }), { scroll: false });
  };
  useEffect(() => {
    const timer = setTimeout(() => search(text), 300);
    return () => clearTimeout(timer);
  });
  // The file follows the grid's filters; a plain link, so the browser downloads what the route streams.
  const exportQuery = new URLSearchParams(Object.entries({ env, channel, q }).filter((e): e is [string, string] => !!e[1])).toString();
  const envs: { value?: Environment; label: string }[] = [
    { label: "All" },
    { value: "sandbox", label: "Sandbox" },
    { value: "production", label: "Production" },
  ];
  return (
    <div className="flex flex-wrap items-center gap-3">
      <TabNav label="Environment" tabs={envs.map((e) => ({ href: href({ env: e.value }), label: e.label, current: env === e.value }))} />
      <label className="sr-only" htmlFor="channel-filter">
        Channel
      </label>
      <select
        id="channel-filter"
        value={channel ?? ""}
        onChange={(e) => router.push(href({ channel: e.target.value || undefined }))}
        className={cn(controlClass, "py-1.5")}
      >
        <option value="">All channels</option>
        {CHANNELS.map((c) => (
          <option key={c} value={c}>
            {CHANNEL_LABELS[c]}
          </option>
        ))}
      </select>
      <form
        role="search"
        className="ml-auto"
        onSubmit={(e) => {
          e.preventDefault();
          search(text);
        }}
      >
        <label className="sr-only" htmlFor="key-search">
          Search keys
        </label>
        <input
          id="key-search"
          name="q"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Search by name or access key"
          className={cn(controlClass, "w-72 py-1.5")}
        />
      </form>
      <a
        href={`${pathname}/keys.csv${exportQuery ? `?${exportQuery}` : ""}`}
        download
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
      >
        Export CSV
      </a>
    </div>
  );
}
