import Link from "next/link";
import type { MerchantListItem } from "@/lib/merchants/access";
import { Badge } from "@/components/ui/badge";
import { Table } from "@/components/ui/table";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { CreateSubAccountButton } from "./create-sub-account-button";

function Row({ m, sub }: { m: MerchantListItem; sub?: boolean }) {
  return (
    // text-base: the table shell sets text-sm, and these rows (and the dialog their button opens) keep the page size.
    <tr className="border-t border-slate-100 text-base hover:bg-slate-50/60">
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
    <Table
      caption="Merchant accounts you belong to"
      columns={["Name", "Account", "Your role", { label: "API keys", align: "right" }, { label: "Actions", align: "right", srOnly: true }]}
    >
      {merchants.flatMap((m) => [<Row key={m.id} m={m} />, ...m.subAccounts.map((s) => <Row key={s.id} m={s} sub />)])}
    </Table>
  );
}
