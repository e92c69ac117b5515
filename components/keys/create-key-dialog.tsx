"use client";
import type { ComponentProps } from "react";
import { Dialog } from "@/components/ui/dialog";
import { CreateKeyForm } from "./create-key-form";

/** "Create API Key": the dialog and its form (zod, react-hook-form), loaded on first use by CreateKeyButton. */
export function CreateKeyDialog({
  open,
  onClose,
  ...form
}: { open: boolean; onClose: () => void } & Omit<ComponentProps<typeof CreateKeyForm>, "onCancel">) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create API Key"
      size="lg"
      description="The secret is shown once, right after the key is created."
    >
      <CreateKeyForm {...form} onCancel={onClose} />
    </Dialog>
  );
}
