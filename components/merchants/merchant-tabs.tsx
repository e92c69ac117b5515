"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

/** `audit`: the role may read the merchant-wide audit log (owners and admins). */
export function MerchantTabs({ merchantId, audit = false }: { merchantId: string; audit?: boolean }) {
  const pathname = usePathname();
  const tabs = [
    { href: `/merchants/${merchantId}/developers`, label: "Developers" },
    { href: `/merchants/${merchantId}/members`, label: "Members" },
    { href: `/merchants/${merchantId}/tokens`, label: "Management tokens" },
    ...(audit ? [{ href: `/merchants/${merchantId}/audit`, label: "Audit log" }] : []),
  ];
  return (
    // On a phone the tabs scroll sideways on one line instead of wrapping into each other; the
    // links inside keep the scrolling region reachable by keyboard.
    <nav aria-label="Merchant" className="overflow-x-auto border-b border-slate-200">
      <ul className="-mb-px flex gap-6 whitespace-nowrap">
        {tabs.map((t) => {
          const active = pathname.startsWith(t.href);
          return (
            <li key={t.href}>
              <Link
                href={t.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-block border-b-2 px-1 pb-3 text-sm font-medium",
                  active
                    ? "border-brand-600 text-brand-700"
                    : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {t.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
