import type { ReactNode } from "react";
import { cn } from "./cn";

/**
 * A box that may scroll (a wide table on a phone, a long list in a dialog). A region that scrolls
 * must be reachable by keyboard (WCAG 2.1.1, axe's scrollable-region-focusable): it is focusable,
 * named, and shows its focus.
 */
export function ScrollRegion({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is scrolled with the arrow keys once focused
    <div role="region" aria-label={label} tabIndex={0} className={cn("focus-visible:outline-2 focus-visible:outline-brand-600", className)}>
      {children}
    </div>
  );
}
