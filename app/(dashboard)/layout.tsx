import { AppHeader } from "@/components/layout/app-header";
import { Toaster } from "@/components/ui/toast";
import { requireUser } from "@/lib/auth/session";

// Every dashboard page needs a session and reads per-request data: never prerendered at build.
export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <Toaster>
      <div className="min-h-screen">
        <AppHeader user={user} />
        <main className="mx-auto max-w-7xl px-4 py-8 sm:px-6">{children}</main>
      </div>
    </Toaster>
  );
}
