/** Test helpers: the captured shipper requests in `../shared/clients/captures/` (repo root relative). */
import { readFileSync } from 'node:fs';

/** The directory holding the real shippers' configurations and captures. */
export const CLIENTS_DIR = new URL('../../../../../shared/clients/', import.meta.url);

/** Raw bytes of a capture file. */
export function captureBytes(name: string): Buffer {
  return readFileSync(new URL(`captures/${name}`, CLIENTS_DIR));
}

/** One captured HTTP request as capture.js logged it. */
export interface CapturedRequest {
  method: string;
  url: string;
  /** Raw header list: name, value, name, value, … */
  headers: string[];
  body: string;
}

/** Every captured HTTP request, in order. */
export function capturedRequests(): CapturedRequest[] {
  return captureBytes('http_requests.jsonl')
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CapturedRequest);
}

/** The captured request headers as a lower-cased map. */
export function headerMap(req: CapturedRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < req.headers.length; i += 2)
    out[req.headers[i]!.toLowerCase()] = req.headers[i + 1]!;
  return out;
}
