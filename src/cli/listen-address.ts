// "0.0.0.0:8080", "127.0.0.1:0", "[::1]:8080" → hostname + port for Bun.serve.
export function parseListen(listen: string): { hostname: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen);
  if (!m) throw new Error(`listen address "${listen}" is not "host:port"`);
  return { hostname: m[1] ?? (m[2] || "0.0.0.0"), port: Number(m[3]) };
}
