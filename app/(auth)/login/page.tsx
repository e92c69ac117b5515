import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { Logo } from "@/components/layout/logo";
import { getSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; email?: string; joined?: string }>;
}) {
  if (await getSessionUser()) redirect("/merchants");
  const { callbackUrl, email, joined } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-slate-50 to-slate-100 px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Logo className="h-10 w-10" />
          <h1 className="text-2xl font-semibold tracking-tight">Sign in to Keyport</h1>
          <p className="text-sm text-slate-600">Manage and rotate your merchants&apos; API keys.</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <LoginForm
            callbackUrl={typeof callbackUrl === "string" ? callbackUrl : undefined}
            email={typeof email === "string" ? email.slice(0, 254) : undefined}
            notice={joined ? "Your account is ready and you have joined the merchant. Sign in to continue." : undefined}
          />
        </div>
      </div>
    </main>
  );
}
