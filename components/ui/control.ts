/** Field styling without a width, for inline controls (toolbar selects, search). A module of its own, so the grid's toolbar loads no more than this. */
export const controlClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-500 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/20 aria-[invalid=true]:border-red-500";
