// The helpers that lived here now sit by what they do: core/transaction, guards, key-access,
// record-change, credential. This re-export stays only for callers outside lib/keys.
export { inTransaction } from "@/lib/core/transaction";
