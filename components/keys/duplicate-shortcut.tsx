"use client";
import { useState } from "react";
import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Dialog } from "@/components/ui/dialog";
import { buttonClass } from "@/components/ui/button";
import type { KeyDetailsDto } from "@/lib/data/key-details";
import type { CreateKeyInput } from "@/lib/keys/schema";
import type { IssuedSecret } from "@/lib/keys/types";
import { SecretRevealDialog } from "./secret-reveal-dialog";

const CreateKeyForm = dynamic(() => import("./create-key-form").then((m) => m.CreateKeyForm), {
  loading: () => <p className="py-8 text-center text-sm text-slate-600">Loading…</p>,
});

type Source = Pick<KeyDetailsDto, "name" | "description" | "permissions" | "ipAllowList" | "environment" | "channel">;

/**
 * "Duplicate" in the key page's top right-hand corner, as well as in Actions: a link to
 * ?duplicate=1 (so it can be bookmarked and shared), which opens the create form with the presets.
 */
export function DuplicateShortcut({ merchantId, source }: { merchantId: string; source: Source }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [issued, setIssued] = useState<IssuedSecret | null>(null);
  const open = params.get("duplicate") === "1" && !issued;
  const close = () => router.replace(pathname, { scroll: false });
  return (
    <>
      <Link href={`${pathname}?duplicate=1`} scroll={false} className={buttonClass("secondary", "sm")}>
        Duplicate
      </Link>
      {open ? <DuplicateKeyDialog merchantId={merchantId} source={source} onClose={close} onCreated={setIssued} /> : null}
      <SecretRevealDialog
        issued={issued}
        title="Duplicate created"
        onClose={() => {
          const id = issued?.keyId;
          setIssued(null);
          if (id) router.push(`/merchants/${merchantId}/developers/keys/${id}`);
        }}
      />
    </>
  );
}

/** The create form with a key's presets. Environment stays the key's; everything else can change first. */
export function DuplicateKeyDialog({
  merchantId,
  source,
  onClose,
  onCreated,
}: {
  merchantId: string;
  source: Source;
  onClose: () => void;
  onCreated: (issued: IssuedSecret) => void;
}) {
  return (
    <Dialog
      open
      onClose={onClose}
      title="Duplicate API key"
      size="lg"
      description={`A new ${source.environment} key with the same presets. Its environment stays ${source.environment}; change the name, channel, permissions, IP allow-list or expiry before creating it. The secret is shown once, right after.`}
    >
      <CreateKeyForm
        merchantId={merchantId}
        environments={[source.environment]}
        defaults={{ environment: source.environment, channel: source.channel }}
        preset={{
          name: `${source.name.slice(0, 93)} (copy)`,
          description: source.description,
          permissions: source.permissions as CreateKeyInput["permissions"],
          ipAllowList: source.ipAllowList.join("\n"),
        }}
        onCancel={onClose}
        onCreated={onCreated}
      />
    </Dialog>
  );
}
