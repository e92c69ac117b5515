/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Type-checking runs as its own step (`npm run typecheck`, part of `npm test`).
  typescript: { ignoreBuildErrors: true },
  // Native or WASM-heavy server packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@prisma/adapter-pg", "pg", "@node-rs/argon2"],
};

export default nextConfig;
