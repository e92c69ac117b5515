import Link from "next/link";

export function NotFoundMessage() {
  return (
    <div className="mx-auto flex min-h-[60vh] max-w-md flex-col items-center justify-center gap-3 px-6 text-center">
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="text-slate-600">It does not exist, or you do not have access to it.</p>
      <Link href="/merchants" className="mt-2 text-sm font-medium text-brand-700 underline-offset-4 hover:underline">
        Back to merchants
      </Link>
    </div>
  );
}
