import Link from "next/link";
import { signOutAction } from "@/lib/actions/sign-out";
import { Logo } from "./logo";

export function AppHeader({ user }: { user: { name: string; email: string } }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-7xl items-center justify-between gap-3 px-4 sm:gap-4 sm:px-6">
        <div className="flex min-w-0 items-center gap-4 sm:gap-8">
          <Link href="/merchants" aria-label="Keyport" className="flex items-center gap-2 font-semibold tracking-tight text-slate-900">
            <Logo />
            <span className="hidden sm:inline">Keyport</span>
          </Link>
          <nav aria-label="Main" className="flex gap-4 sm:gap-6">
            <Link href="/merchants" className="text-sm font-medium text-slate-700 hover:text-slate-900">
              Merchants
            </Link>
            <Link href="/security" className="text-sm font-medium text-slate-700 hover:text-slate-900">
              Security
            </Link>
            <Link href="/docs/api" className="whitespace-nowrap text-sm font-medium text-slate-700 hover:text-slate-900">
              API docs
            </Link>
          </nav>
        </div>
        <div className="flex shrink-0 items-center gap-4">
          {/* On a phone the name and address would push "Sign out" onto two lines. */}
          <div className="hidden text-right leading-tight md:block">
            <p className="text-sm font-medium text-slate-900">{user.name}</p>
            <p className="text-xs text-slate-500">{user.email}</p>
          </div>
          <form action={signOutAction}>
            <button
              type="submit"
              className="whitespace-nowrap rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
            >
              Sign out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
