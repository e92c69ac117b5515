import { cn } from "./cn";

const VARIANTS = {
  primary: "bg-brand-600 text-white shadow-sm hover:bg-brand-700 disabled:bg-brand-600/50",
  secondary: "border border-slate-300 bg-white text-slate-800 shadow-sm hover:bg-slate-50 disabled:text-slate-500",
  ghost: "text-slate-700 hover:bg-slate-100 disabled:text-slate-500",
  danger: "bg-red-600 text-white shadow-sm hover:bg-red-700 disabled:bg-red-600/50",
} as const;

const SIZES = { sm: "h-8 px-3 text-sm", md: "h-9 px-4 text-sm", icon: "h-8 w-8 justify-center" } as const;

export type ButtonProps = React.ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: keyof typeof VARIANTS;
  size?: keyof typeof SIZES;
};

export const buttonClass = (variant: keyof typeof VARIANTS = "primary", size: keyof typeof SIZES = "md") =>
  cn("inline-flex items-center gap-1.5 rounded-md font-medium disabled:cursor-not-allowed", VARIANTS[variant], SIZES[size]);

export function Button({ variant = "primary", size = "md", className, type = "button", ...props }: ButtonProps) {
  return <button type={type} className={cn(buttonClass(variant, size), className)} {...props} />;
}
