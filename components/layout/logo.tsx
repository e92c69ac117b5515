export function Logo({ className = "h-7 w-7" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" className={className}>
      <rect width="32" height="32" rx="8" fill="#4f46e5" />
      <path
        d="M12 9a5 5 0 1 0 3.6 8.5L22 24h3v-3h-2v-2h-2v-2.4l-3.5-3.5A5 5 0 0 0 12 9zm-1 4a1.5 1.5 0 1 1 0 3 1.5 1.5 0 0 1 0-3z"
        fill="#fff"
      />
    </svg>
  );
}
