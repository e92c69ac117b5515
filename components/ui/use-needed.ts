"use client";
import { useState } from "react";

/**
 * True from the first render where `wanted` is true, and ever after: a dialog loaded on first use
 * stays mounted, so that closing it is a close (focus goes back where it was), not an unmount.
 */
export function useNeeded(wanted: boolean): boolean {
  const [needed, setNeeded] = useState(wanted);
  if (wanted && !needed) setNeeded(true);
  return needed || wanted;
}
