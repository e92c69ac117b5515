"use client";
import { createContext, useCallback, useContext, useState } from "react";

type Toast = { id: number; message: string };
const ToastContext = createContext<(message: string) => void>(() => {});

export const useToast = () => useContext(ToastContext);

/** A polite live region: screen readers announce each toast, sighted users see it top-right, below the header (clear of the pagination and dialogs' buttons). */
export function Toaster({ children }: { children: React.ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const show = useCallback((message: string) => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t.slice(-2), { id, message }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 3000);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div role="status" aria-live="polite" className="pointer-events-none fixed right-4 top-16 z-50 flex flex-col items-end gap-2">
        {toasts.map((t) => (
          <div key={t.id} className="rounded-lg bg-slate-900 px-4 py-2.5 text-sm font-medium text-white shadow-lg">
            {t.message}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
