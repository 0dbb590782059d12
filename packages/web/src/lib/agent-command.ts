/**
 * The exact command an operator runs on an endpoint to enroll it. The origin
 * is the one the console is served from, which is the address agents reach.
 */
export function enrollCommand(origin: string, key: string): string {
  return `harrier-agent enroll --server ${origin} --key ${key}`;
}
