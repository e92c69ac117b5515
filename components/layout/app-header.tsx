import Link from "next/link";
import { signOutAction } from "@/lib/actions/sign-out";
import { Logo } from "./logo";

export function AppHeader({ user }: { user: { name: string; email: string } }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-7xl items-center justify-between gap-4 px-6">
        <div className="flex items-center gap-8">
          <Link href="/merchants" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
            <Logo />
            Keyport
          </Link>
          <nav aria-label="Main" className="flex gap-6">
            <Link href="/merchants" className="text-sm font-medium text-slate-700 hover:text-slate-900">
              Merchants
            </Link>
            <Link href="/security" className="text-sm font-medium text-slate-700 hover:text-slate-900">
              Security
            </Link>
          </nav>
        </div>
        <div className="flex items-center gap-4">
          <div className="text-right leading-tight">
            <p className="text-sm font-medium text-slate-900">{user.name}</p>
            <p className="text-xs text-slate-500">{user.email}</p>
          </div>
          <form action={signOutAction}>
            <button type="submit" className="rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100">
              Sign out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
