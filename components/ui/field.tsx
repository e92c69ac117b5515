import { cn } from "./cn";
import { controlClass } from "./control";

export { controlClass };
export const inputClass = `block w-full ${controlClass}`;

export function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint && !error ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {error ? (
        <p id={`${id}-error`} className="text-xs font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function Alert({ tone = "error", className, ...props }: React.HTMLAttributes<HTMLDivElement> & { tone?: "error" | "info" }) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={cn(
        "rounded-md px-3 py-2 text-sm",
        tone === "error" ? "bg-red-50 text-red-800 ring-1 ring-red-600/20" : "bg-sky-50 text-sky-900 ring-1 ring-sky-600/20",
        className,
      )}
      {...props}
    />
  );
}
