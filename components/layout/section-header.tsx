import Link from "next/link";

/** A merchant page's heading row: the h2 that labels its section, a line about it, and its actions. */
export function SectionHeader({
  id,
  title,
  description,
  actions,
}: {
  id: string;
  title: string;
  description: React.ReactNode;
  actions?: React.ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        <p className="text-sm text-slate-600">{description}</p>
      </div>
      {actions}
    </div>
  );
}

/** The "← …" link above a page's heading, back to the page it was opened from. */
export function BackLink({ href, children }: { href: string; children: string }) {
  return (
    <Link href={href} className="text-sm text-slate-600 hover:text-slate-900 hover:underline">
      {`← ${children}`}
    </Link>
  );
}
