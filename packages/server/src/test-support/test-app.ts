import { gzipSync } from 'node:zlib';
import { signedHeaders } from '@harrier/schema';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../config.ts';
import { type Runtime, startRuntime } from '../runtime.ts';
import type { TestStore } from './databases.ts';

export interface TestApp {
  runtime: Runtime;
  enrollmentKey: string;
  /** Enrolls a device and returns its credentials. */
  enroll(hostname?: string): Promise<{ deviceId: string; secret: string; orgId: string }>;
  /** Sends a signed request the way the agent does. */
  signed(
    device: { deviceId: string; secret: string },
    method: 'POST' | 'GET',
    url: string,
    body: unknown,
    options?: {
      gzip?: boolean;
      contentType?: string;
      now?: number;
      nonce?: string;
      headers?: Record<string, string>;
    },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A running app (not listening) on a fresh store, with an admin and an enrollment key. */
export async function startTestApp(store: TestStore, env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    ...store.env,
    HARRIER_ADMIN_PASSWORD: 'correct horse battery staple',
    HARRIER_SECRET: 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    HARRIER_LOG_LEVEL: 'silent',
    ...env,
  });
  const runtime = await startRuntime(config, { logger: false });
  const enrollmentKey = runtime.firstRun!.enrollmentKey;
  const app: TestApp = {
    runtime,
    enrollmentKey,
    async enroll(hostname = 'host-1') {
      const res = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/agents/enroll',
        payload: {
          enrollment_key: enrollmentKey,
          hostname,
          os: { name: 'Debian', version: '12', platform: 'linux' },
        },
      });
      if (res.statusCode !== 201) throw new Error(`enroll failed: ${res.statusCode} ${res.body}`);
      const b = res.json() as { device_id: string; device_secret: string; org_id: string };
      return { deviceId: b.device_id, secret: b.device_secret, orgId: b.org_id };
    },
    async signed(device, method, url, body, options = {}) {
      let payload: Buffer =
        typeof body === 'string'
          ? Buffer.from(body)
          : Buffer.isBuffer(body)
            ? body
            : Buffer.from(JSON.stringify(body));
      const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
      if (options.gzip) {
        payload = gzipSync(payload);
        headers['content-encoding'] = 'gzip';
      }
      Object.assign(
        headers,
        signedHeaders({
          method,
          path: url,
          body: payload,
          secret: device.secret,
          deviceId: device.deviceId,
          ...(options.now !== undefined ? { now: options.now } : {}),
          ...(options.nonce !== undefined ? { nonce: options.nonce } : {}),
        }),
        options.headers ?? {},
      );
      return runtime.app.inject({ method, url, headers, payload: method === 'GET' ? undefined : payload });
    },
    close: () => runtime.close(),
  };
  return app;
}
