// `server-only` throws unless resolved under React's server condition, which only Next's bundler
// applies. The custom server loads lib/ directly, so it maps the marker to an empty module.
export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export {}", shortCircuit: true };
  return next(specifier, context);
}
