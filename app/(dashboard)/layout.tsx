import { AppHeader } from "@/components/layout/app-header";
import { Toaster } from "@/components/ui/toast";
import { requireUser } from "@/lib/auth/session";
import { PasskeyProvider } from "@/components/auth/passkey-context";
import { hasPasskey } from "@/lib/auth/passkeys";
import { getDb } from "@/lib/db/client";

// Every dashboard page needs a session and reads per-request data: never prerendered at build.
export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const passkey = await hasPasskey(await getDb(), user.id);
  return (
    <Toaster>
      <PasskeyProvider hasPasskey={passkey}>
        <div className="min-h-screen">
          <AppHeader user={user} />
          <main className="mx-auto max-w-7xl px-4 py-8 sm:px-6">{children}</main>
        </div>
      </PasskeyProvider>
    </Toaster>
  );
}
