import Link from "next/link";
import type { MerchantListItem } from "@/lib/merchants/access";
import { Badge } from "@/components/ui/badge";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { CreateSubAccountButton } from "./create-sub-account-button";

function Row({ m, sub }: { m: MerchantListItem; sub?: boolean }) {
  return (
    <tr className="border-t border-slate-100 hover:bg-slate-50/60">
      <td className="px-4 py-3">
        <div className={sub ? "flex items-center gap-2 pl-6" : "flex items-center gap-2"}>
          {sub ? (
            <span aria-hidden="true" className="text-slate-500">
              ↳
            </span>
          ) : null}
          <Link href={`/merchants/${m.id}/developers`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
            {m.name}
          </Link>
        </div>
      </td>
      <td className="px-4 py-3 text-sm text-slate-600">{sub ? "Sub-account" : "Master account"}</td>
      <td className="px-4 py-3">
        <Badge tone={m.role === "OWNER" ? "violet" : "slate"}>{ROLE_LABELS[m.role]}</Badge>
      </td>
      <td className="px-4 py-3 text-right text-sm tabular-nums text-slate-700">{m.keyCount}</td>
      <td className="px-4 py-3 text-right">
        {!sub && !m.parentId && m.role === "OWNER" ? <CreateSubAccountButton masterId={m.id} masterName={m.name} /> : null}
      </td>
    </tr>
  );
}

export function MerchantTable({ merchants }: { merchants: MerchantListItem[] }) {
  return (
    // relative: the header's sr-only label is absolutely placed and would widen the page on a phone.
    <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
      <table className="w-full text-left">
        <caption className="sr-only">Merchant accounts you belong to</caption>
        <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2.5">
              Name
            </th>
            <th scope="col" className="px-4 py-2.5">
              Account
            </th>
            <th scope="col" className="px-4 py-2.5">
              Your role
            </th>
            <th scope="col" className="px-4 py-2.5 text-right">
              API keys
            </th>
            <th scope="col" className="px-4 py-2.5 text-right">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{merchants.flatMap((m) => [<Row key={m.id} m={m} />, ...m.subAccounts.map((s) => <Row key={s.id} m={s} sub />)])}</tbody>
      </table>
    </div>
  );
}
