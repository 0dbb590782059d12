import { SEVERITIES, type Severity, uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { conflict } from '../errors.ts';
import { DecisionsRepository } from '../repositories/decisions-repository.ts';
import { DecisionService } from './decision-service.ts';
import type { ResponseService } from './response-service.ts';

/** What `harrier demo seed` added, by table, so `--reset` removes exactly that. */
export interface DemoManifest {
  devices: string[];
  heartbeats: string[];
  events: string[];
  alerts: string[];
  decisions: string[];
  policies: string[];
  assignments: string[];
  groups: string[];
  created_at: number;
}

const manifestKey = (orgId: string) => `demo:${orgId}`;

const HOSTS: Array<{
  hostname: string;
  os: string;
  tags: string[];
  owner: string;
  location: string;
  online: boolean;
}> = [
  {
    hostname: 'web-01',
    os: 'Debian',
    tags: ['prod', 'web'],
    owner: 'Platform team',
    location: 'Madrid DC',
    online: true,
  },
  {
    hostname: 'web-02',
    os: 'Debian',
    tags: ['prod', 'web'],
    owner: 'Platform team',
    location: 'Madrid DC',
    online: true,
  },
  {
    hostname: 'db-01',
    os: 'Ubuntu',
    tags: ['prod', 'db'],
    owner: 'Data team',
    location: 'Madrid DC',
    online: true,
  },
  {
    hostname: 'build-01',
    os: 'Ubuntu',
    tags: ['ci'],
    owner: 'Dev tools',
    location: 'Frankfurt',
    online: true,
  },
  {
    hostname: 'laptop-ana',
    os: 'Fedora',
    tags: ['laptop'],
    owner: 'Ana Ruiz',
    location: 'Remote',
    online: true,
  },
  {
    hostname: 'laptop-ben',
    os: 'Debian',
    tags: ['laptop'],
    owner: 'Ben Ito',
    location: 'Remote',
    online: false,
  },
  {
    hostname: 'bastion',
    os: 'Debian',
    tags: ['prod', 'edge'],
    owner: 'SecOps',
    location: 'Frankfurt',
    online: true,
  },
  {
    hostname: 'legacy-app',
    os: 'CentOS',
    tags: ['legacy'],
    owner: 'Finance IT',
    location: 'Madrid DC',
    online: false,
  },
];

const EVENT_KINDS = [
  {
    category: 'process_creation',
    image: '/usr/bin/bash',
    fields: (h: string) => ({
      Image: '/usr/bin/bash',
      CommandLine: 'bash -lc uptime',
      User: 'deploy',
      Computer: h,
    }),
  },
  {
    category: 'network_connection',
    image: null,
    fields: (h: string) => ({ DestinationIp: '10.0.4.12', DestinationPort: 5432, Computer: h }),
  },
  {
    category: 'authentication',
    image: null,
    fields: (h: string) => ({
      User: 'root',
      EventType: 'ssh_login_failed',
      SourceIp: '203.0.113.50',
      Computer: h,
    }),
  },
  {
    category: 'file_event',
    image: null,
    fields: (h: string) => ({ TargetFilename: '/etc/cron.d/backup', Computer: h }),
  },
] as const;

const ALERTS: Array<{
  host: number;
  severity: Severity;
  title: string;
  category: string;
  fields: Record<string, unknown>;
}> = [
  {
    host: 6,
    severity: 'high',
    title: 'SSH brute force from one address',
    category: 'authentication',
    fields: { SourceIp: '203.0.113.50', User: 'root' },
  },
  {
    host: 0,
    severity: 'critical',
    title: 'Reverse shell spawned by web server',
    category: 'process_creation',
    fields: { Image: '/tmp/.x/sh', ParentImage: '/usr/sbin/nginx', ProcessId: 31337 },
  },
  {
    host: 3,
    severity: 'medium',
    title: 'Binary executed from /tmp',
    category: 'process_creation',
    fields: { Image: '/tmp/build/helper', ProcessId: 4242 },
  },
  {
    host: 2,
    severity: 'medium',
    title: 'Outbound connection to rare address',
    category: 'network_connection',
    fields: { DestinationIp: '198.51.100.23', DestinationPort: 4444 },
  },
  {
    host: 4,
    severity: 'low',
    title: 'New systemd unit installed',
    category: 'file_event',
    fields: { TargetFilename: '/etc/systemd/system/updater.service' },
  },
  {
    host: 1,
    severity: 'low',
    title: 'Sudo by an unusual user',
    category: 'process_creation',
    fields: { Image: '/usr/bin/sudo', User: 'www-data' },
  },
  {
    host: 5,
    severity: 'informational',
    title: 'Package installed outside maintenance',
    category: 'process_creation',
    fields: { Image: '/usr/bin/dpkg' },
  },
];

/**
 * Fills an organization with a small, realistic fleet (devices, a day of
 * heartbeats, three hours of events), alerts with their events, a policy and a
 * group, and the decision engine's recommendations for the alerts, so the
 * console and the posture metrics have something true to show. What it adds is
 * recorded in `settings` (`demo:<org>`); `reset` removes exactly that.
 */
export class DemoSeedService {
  constructor(private readonly database: HarrierDatabase) {}

  private get db() {
    return this.database.db;
  }

  async manifest(orgId: string): Promise<DemoManifest | undefined> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', manifestKey(orgId))
      .executeTakeFirst();
    return row ? (JSON.parse(row.value) as DemoManifest) : undefined;
  }

  /** Seeds the organization; 409 when it already holds demo data (reset first). */
  async seed(orgId: string, now = Date.now()): Promise<DemoManifest> {
    if (await this.manifest(orgId))
      throw conflict('demo_exists', 'This organization already holds demo data; reset it first.');
    const m: DemoManifest = {
      devices: [],
      heartbeats: [],
      events: [],
      alerts: [],
      decisions: [],
      policies: [],
      assignments: [],
      groups: [],
      created_at: now,
    };
    // The manifest is written first, so a failure half-way can still be reset.
    await this.db
      .insertInto('settings')
      .values({ key: manifestKey(orgId), value: JSON.stringify(m), updated_at: now })
      .execute();
    try {
      await this.fill(orgId, m, now);
    } finally {
      await this.db
        .updateTable('settings')
        .set({ value: JSON.stringify(m), updated_at: Date.now() })
        .where('key', '=', manifestKey(orgId))
        .execute();
    }
    return m;
  }

  private async fill(orgId: string, m: DemoManifest, now: number): Promise<void> {
    const deviceIds: string[] = [];
    for (const [i, h] of HOSTS.entries()) {
      const id = uuidv7(now - 30 * 86_400_000 + i);
      const lastBeat = h.online ? now - 20_000 : now - 3 * 86_400_000;
      await this.db
        .insertInto('devices')
        .values({
          id,
          org_id: orgId,
          hostname: h.hostname,
          external_id: `demo:${h.hostname}`,
          display_name: null,
          os_name: h.os,
          os_version: null,
          platform: 'linux',
          agent_version: '0.1.0',
          ip_address: `10.0.${i}.10`,
          tags: JSON.stringify(h.tags),
          metadata: JSON.stringify({ demo: true }),
          secret_version: 0,
          secret_generation: 0,
          enrollment_key_id: null,
          enrolled_at: now - 30 * 86_400_000,
          revoked_at: null,
          first_seen_at: now - 30 * 86_400_000,
          last_seen_at: lastBeat,
          last_heartbeat_at: lastBeat,
          created_at: now - 30 * 86_400_000,
        })
        .execute();
      m.devices.push(id);
      deviceIds.push(id);
      await this.db
        .insertInto('device_profiles')
        .values({
          device_id: id,
          org_id: orgId,
          owner: h.owner,
          location: h.location,
          notes: null,
          retired_at: null,
          updated_at: now,
        })
        .execute();
      // A heartbeat every 10 minutes over the last 3 hours (or up to the last one of an offline host).
      const rows = [];
      for (let k = 0; k < 18; k++) {
        const ts = lastBeat - k * 600_000;
        const cpu = Math.round((15 + ((i * 17 + k * 7) % 60) + (i === 0 && k < 2 ? 30 : 0)) * 10) / 10;
        const hid = uuidv7(ts);
        m.heartbeats.push(hid);
        rows.push({
          id: hid,
          org_id: orgId,
          device_id: id,
          ts,
          received_at: ts,
          reported_ts: new Date(ts).toISOString(),
          agent_version: '0.1.0',
          os_version: null,
          uptime_s: 86_400 * (i + 1) - k * 600,
          cpu_pct: Math.min(cpu, 100),
          mem_used_bytes: (2 + (i % 4)) * 1024 ** 3,
          mem_total_bytes: 8 * 1024 ** 3,
          disk_used_bytes: (40 + i * 5) * 1024 ** 3,
          disk_total_bytes: 100 * 1024 ** 3,
          data: '{}',
        });
      }
      await this.db.insertInto('heartbeats').values(rows).execute();
    }

    // Three hours of ordinary events, denser in the last half hour.
    const events = [];
    for (let n = 0; n < 240; n++) {
      const host = n % HOSTS.length;
      const kind = EVENT_KINDS[n % EVENT_KINDS.length]!;
      const ts = now - (n < 80 ? (n * 30_000) % 1_800_000 : (n * 47_000) % (3 * 3600_000));
      const id = uuidv7(ts);
      m.events.push(id);
      events.push(
        this.eventRow(
          orgId,
          deviceIds[host]!,
          HOSTS[host]!.hostname,
          id,
          ts,
          kind.category,
          kind.fields(HOSTS[host]!.hostname),
        ),
      );
    }
    for (let i = 0; i < events.length; i += 100)
      await this.db
        .insertInto('events')
        .values(events.slice(i, i + 100))
        .execute();

    // Alerts, each with the event that raised it.
    for (const [k, a] of ALERTS.entries()) {
      const ts = now - (k + 1) * 900_000;
      const eventId = uuidv7(ts);
      const device = deviceIds[a.host]!;
      await this.db
        .insertInto('events')
        .values(this.eventRow(orgId, device, HOSTS[a.host]!.hostname, eventId, ts, a.category, a.fields))
        .execute();
      m.events.push(eventId);
      const id = uuidv7(ts + 1);
      await this.db
        .insertInto('alerts')
        .values({
          id,
          org_id: orgId,
          rule_id: null,
          rule_uid: `demo-${k}`,
          rule_version: null,
          rule_title: a.title,
          kind: 'rule',
          title: a.title,
          severity: a.severity,
          severity_rank: SEVERITIES.indexOf(a.severity),
          status: 'open',
          device_id: device,
          group_key: `demo-${k}`,
          first_seen: ts,
          last_seen: ts,
          count: 1,
          matched_event_ids: JSON.stringify([eventId]),
          mitre_techniques: '[]',
          mitre_tactics: '[]',
          details: JSON.stringify({ demo: true }),
          created_at: ts,
          updated_at: ts,
        })
        .execute();
      m.alerts.push(id);
    }

    // A baseline policy for everyone and a tag group for the web servers.
    const policyId = uuidv7(now);
    const document = JSON.stringify({
      intervals: { heartbeat_s: 30 },
      unusual_exec_paths: ['/tmp/*', '/dev/shm/*'],
    });
    await this.db
      .insertInto('policies')
      .values({
        id: policyId,
        org_id: orgId,
        name: 'Demo baseline',
        description: 'Added by harrier demo seed',
        enabled: 1,
        version: 1,
        document,
        created_by: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await this.db
      .insertInto('policy_versions')
      .values({
        id: uuidv7(now),
        org_id: orgId,
        policy_id: policyId,
        version: 1,
        document,
        created_by: null,
        created_at: now,
      })
      .execute();
    m.policies.push(policyId);
    const assignmentId = uuidv7(now);
    await this.db
      .insertInto('policy_assignments')
      .values({
        id: assignmentId,
        org_id: orgId,
        policy_id: policyId,
        target_type: 'org',
        target_id: null,
        priority: 1,
        status: 'applied',
        created_at: now,
        updated_at: now,
      })
      .execute();
    m.assignments.push(assignmentId);
    const groupId = uuidv7(now);
    await this.db
      .insertInto('device_groups')
      .values({
        id: groupId,
        org_id: orgId,
        name: 'Demo web servers',
        description: null,
        kind: 'tags',
        match_tags: JSON.stringify(['prod', 'web']),
        created_at: now,
        updated_at: now,
      })
      .execute();
    m.groups.push(groupId);

    // The decision engine's recommendations for the demo alerts (only those: other alerts stay undecided).
    // A pass only records recommendations; it never queues an action, so no response service is needed.
    const decisions = new DecisionService(
      new DecisionsRepository(this.db),
      undefined as unknown as ResponseService,
    );
    await decisions.run(orgId, now);
    const rows = await this.db
      .selectFrom('decisions')
      .select(['id', 'alert_id'])
      .where('alert_id', 'in', m.alerts)
      .execute();
    m.decisions.push(...rows.map((r) => r.id));
  }

  private eventRow(
    orgId: string,
    deviceId: string,
    hostname: string,
    id: string,
    ts: number,
    category: string,
    fields: Record<string, unknown>,
  ) {
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    return {
      id,
      org_id: orgId,
      device_id: deviceId,
      ts,
      received_at: ts,
      source: 'demo',
      product: 'linux',
      category,
      service: null,
      event_code: null,
      severity: null,
      title: null,
      hostname,
      user_name: str(fields.User),
      image: str(fields.Image),
      command_line: str(fields.CommandLine),
      parent_image: str(fields.ParentImage),
      target_filename: str(fields.TargetFilename),
      source_ip: str(fields.SourceIp),
      destination_ip: str(fields.DestinationIp),
      destination_port: typeof fields.DestinationPort === 'number' ? fields.DestinationPort : null,
      fields: JSON.stringify(fields),
      raw: null,
      batch_id: null,
    };
  }

  /** Removes exactly what `seed` added (and the response actions and decisions that hang off it). */
  async reset(orgId: string): Promise<DemoManifest | undefined> {
    const m = await this.manifest(orgId);
    if (!m) return undefined;
    const del = async (
      table:
        | 'devices'
        | 'heartbeats'
        | 'events'
        | 'alerts'
        | 'decisions'
        | 'policies'
        | 'policy_assignments'
        | 'device_groups',
      ids: string[],
    ) => {
      for (let i = 0; i < ids.length; i += 200)
        await this.db
          .deleteFrom(table)
          .where('org_id', '=', orgId)
          .where('id', 'in', ids.slice(i, i + 200))
          .execute();
    };
    // Decisions made later by the engine for demo alerts, and actions queued on demo devices, go too.
    if (m.alerts.length > 0)
      await this.db
        .deleteFrom('decisions')
        .where('org_id', '=', orgId)
        .where('alert_id', 'in', m.alerts)
        .execute();
    if (m.devices.length > 0) {
      await this.db
        .deleteFrom('response_actions')
        .where('org_id', '=', orgId)
        .where('device_id', 'in', m.devices)
        .execute();
      await this.db
        .deleteFrom('device_profiles')
        .where('org_id', '=', orgId)
        .where('device_id', 'in', m.devices)
        .execute();
      await this.db
        .deleteFrom('device_group_members')
        .where('org_id', '=', orgId)
        .where('device_id', 'in', m.devices)
        .execute();
    }
    if (m.policies.length > 0)
      await this.db
        .deleteFrom('policy_versions')
        .where('org_id', '=', orgId)
        .where('policy_id', 'in', m.policies)
        .execute();
    await del('decisions', m.decisions);
    await del('alerts', m.alerts);
    await del('events', m.events);
    await del('heartbeats', m.heartbeats);
    await del('policy_assignments', m.assignments);
    await del('policies', m.policies);
    await del('device_groups', m.groups);
    await del('devices', m.devices);
    await this.db.deleteFrom('settings').where('key', '=', manifestKey(orgId)).execute();
    return m;
  }
}
