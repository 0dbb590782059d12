import http from 'node:http';
import { signedHeaders } from '@harrier/schema';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface Device {
  deviceId: string;
  secret: string;
}

/** Enrolls a device over HTTP. */
export async function enroll(url: string, key: string, hostname: string): Promise<Device> {
  const res = await fetch(`${url}/api/v1/agents/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollment_key: key, hostname, os: { name: 'bench', platform: 'windows' } }),
  });
  if (res.status !== 201) throw new Error(`enroll: ${res.status} ${await res.text()}`);
  const b = (await res.json()) as { device_id: string; device_secret: string };
  return { deviceId: b.device_id, secret: b.device_secret };
}

/** POSTs a signed body over a keep-alive connection; resolves with status and body text. */
export function postSigned(
  url: string,
  path: string,
  device: Device,
  body: Buffer,
  extraHeaders: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const headers = {
    'content-type': 'application/json',
    'content-length': String(body.length),
    ...signedHeaders({ method: 'POST', path, body, secret: device.secret, deviceId: device.deviceId }),
    ...extraHeaders,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
