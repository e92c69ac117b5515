import type { KeyDetailsDto } from "@/lib/data/key-details";
import { formatDateTime } from "./format";

const count = (n: number) => n.toLocaleString("en-US");

/** Password guessing on a user-chosen credential: reported, never a lock (the verifier keeps known clients working). */
export function GuessingNotice({ guessing }: { guessing: NonNullable<KeyDetailsDto["guessing"]> }) {
  return (
    <section
      aria-labelledby="guessing-title"
      role="status"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
    >
      <h3 id="guessing-title" className="font-semibold">
        Password guessing on this key
      </h3>
      <p className="mt-1">
        {count(guessing.failures)} wrong {guessing.failures === 1 ? "password" : "passwords"} from {count(guessing.addresses)}{" "}
        {guessing.addresses === 1 ? "client address" : "client addresses"} since {formatDateTime(guessing.since)} (last at{" "}
        {formatDateTime(guessing.lastFailureAt)}).
      </p>
      <p className="mt-1 text-amber-900">
        Nothing is locked: addresses that used the right password keep working, and each guessing address is slowed down on its own. If you
        do not recognise this traffic, set an IP allow-list or change the credentials.
      </p>
    </section>
  );
}
