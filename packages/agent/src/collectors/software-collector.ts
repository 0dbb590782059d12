import { execFile } from 'node:child_process';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AgentEvent } from '../agent-event.ts';
import { asRecord, type CollectContext, type Collector, makeEvent } from './collector.ts';
import { readText } from './read-file.ts';

/** Version of the saved baseline's shape. */
const STATE_FORMAT = 2;

export interface Package {
  name: string;
  version: string;
  arch: string;
  manager: 'dpkg' | 'rpm';
  /** The source package it was built from, where that differs from its name (Debian advisories name these). */
  sourcePackage?: string;
  /** Origin or maintainer (dpkg), vendor (rpm). */
  vendor?: string;
}

/** `Source: curl (7.88.1-10)` → `curl`: dpkg adds the source version when it differs from the binary's. */
function sourceName(value: string | undefined): string | undefined {
  const name = value?.trim().split(/\s+/)[0];
  return name || undefined;
}

/** `Debian Bash Maintainers <bash@packages.debian.org>` → `Debian Bash Maintainers`. */
function personName(value: string | undefined): string | undefined {
  const name = value?.replace(/<[^>]*>/g, '').trim();
  return name || undefined;
}

/** Adds the optional fields only when they have a value, so package records stay small. */
function withOptional(p: Package, sourcePackage: string | undefined, vendor: string | undefined): Package {
  if (sourcePackage && sourcePackage !== p.name) p.sourcePackage = sourcePackage;
  if (vendor) p.vendor = vendor;
  return p;
}

/** Parses dpkg's status file, keeping packages whose status is `install ok installed`. */
export function parseDpkgStatus(text: string): Package[] {
  const out: Package[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of para.split('\n')) {
      const m = /^([A-Za-z-]+):\s?(.*)$/.exec(line);
      if (m) fields.set(m[1]!.toLowerCase(), m[2]!);
    }
    const name = fields.get('package');
    if (!name || !/\binstalled$/.test(fields.get('status') ?? '')) continue;
    out.push(
      withOptional(
        {
          name,
          version: fields.get('version') ?? '',
          arch: fields.get('architecture') ?? '',
          manager: 'dpkg',
        },
        sourceName(fields.get('source')),
        personName(fields.get('origin') ?? fields.get('maintainer')),
      ),
    );
  }
  return out;
}

/**
 * Parses `rpm -qa --queryformat '%{NAME}\t%{VERSION}-%{RELEASE}\t%{ARCH}\t%{VENDOR}\t%{SOURCERPM}\n'`
 * (the last two columns are optional). `(none)` is rpm's empty value.
 */
export function parseRpmList(text: string): Package[] {
  const out: Package[] = [];
  const value = (v: string | undefined) => (v && v !== '(none)' ? v : undefined);
  for (const line of text.split('\n')) {
    const [name, version, arch, vendor, sourceRpm] = line.split('\t');
    if (!name || !version) continue;
    // bash-5.2.26-3.fc40.src.rpm → bash (name-version-release.src.rpm).
    const source = value(sourceRpm)?.replace(/-[^-]+-[^-]+\.(?:no)?src\.rpm$/, '');
    out.push(withOptional({ name, version, arch: value(arch) ?? '', manager: 'rpm' }, source, value(vendor)));
  }
  return out;
}

function runRpm(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'rpm',
      ['-qa', '--queryformat', '%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\t%{VENDOR}\\t%{SOURCERPM}\\n'],
      { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout) => resolve(err ? undefined : stdout),
    );
  });
}

/**
 * Software inventory from dpkg's status file and, where the `rpm` command exists, the RPM
 * database. The first inventory reports every package (`ChangeType: present`); later ones
 * report installs, removals and version changes. The package databases' mtimes gate the
 * work, so an unchanged system costs two stat calls. The current list also feeds the agent's
 * full inventory snapshots; `revision` counts the changes so the agent knows when to send one.
 */
export class SoftwareCollector implements Collector {
  readonly name = 'software';
  private packages = new Map<string, Package>();
  private stamp = '';
  private initialized = false;
  /** Bumped whenever the package list changes (not when it is merely re-read). */
  revision = 0;

  constructor(
    private readonly root: string,
    private readonly useRpm: boolean = root === '/',
  ) {}

  private async currentStamp(): Promise<string> {
    const parts: string[] = [];
    for (const p of ['var/lib/dpkg/status', 'var/lib/rpm/rpmdb.sqlite', 'var/lib/rpm/Packages']) {
      try {
        const st = await stat(join(this.root, p));
        parts.push(`${p}:${st.mtimeMs}:${st.size}`);
      } catch {
        // Absent database.
      }
    }
    return parts.join('|');
  }

  async collect(ctx: CollectContext): Promise<AgentEvent[]> {
    const stamp = await this.currentStamp();
    if (stamp === this.stamp && this.initialized) return [];
    const list: Package[] = [];
    const dpkg = await readText(join(this.root, 'var/lib/dpkg/status'));
    if (dpkg) list.push(...parseDpkgStatus(dpkg));
    if (this.useRpm && (await hasRpm())) {
      const out = await runRpm();
      if (out) list.push(...parseRpmList(out));
    }
    const next = new Map<string, Package>();
    for (const p of list) next.set(`${p.manager}:${p.name}:${p.arch}`, p);

    const events: AgentEvent[] = [];
    const emit = (p: Package, change: string, previous?: string) =>
      events.push(
        makeEvent({
          type: 'software',
          ts: ctx.now,
          logsource: { product: 'linux', category: 'software_inventory' },
          title: `Package ${change}: ${p.name} ${p.version}`,
          fields: {
            Product: p.name,
            Version: p.version,
            Architecture: p.arch,
            PackageManager: p.manager,
            SourcePackage: p.sourcePackage,
            Vendor: p.vendor,
            ChangeType: change,
            PreviousVersion: previous,
          },
        }),
      );
    for (const [key, p] of next) {
      const before = this.packages.get(key);
      if (!this.initialized) emit(p, 'present');
      else if (!before) emit(p, 'installed');
      else if (before.version !== p.version) emit(p, 'upgraded', before.version);
    }
    if (this.initialized) for (const [key, p] of this.packages) if (!next.has(key)) emit(p, 'removed');
    if (events.length > 0 || !this.initialized) this.revision++;
    this.packages = next;
    this.stamp = stamp;
    this.initialized = true;
    return events;
  }

  /** The packages of the last check (empty before the first). */
  list(): Package[] {
    return [...this.packages.values()];
  }

  /** True once the package databases have been read (or a saved baseline was loaded). */
  get ready(): boolean {
    return this.initialized;
  }

  exportState(): unknown {
    return { format: STATE_FORMAT, stamp: this.stamp, packages: [...this.packages.values()] };
  }

  importState(state: unknown): void {
    const s = asRecord(state);
    const pkgs = Array.isArray(s['packages']) ? (s['packages'] as Package[]) : [];
    this.packages = new Map(pkgs.map((p) => [`${p.manager}:${p.name}:${p.arch}`, p]));
    // A baseline saved before source packages and vendors were kept lacks them: re-read the
    // databases once (the diff against the baseline is still by version, so no event storm).
    this.stamp = s['format'] === STATE_FORMAT && typeof s['stamp'] === 'string' ? s['stamp'] : '';
    this.initialized = true;
    this.revision++;
  }
}

async function hasRpm(): Promise<boolean> {
  for (const dir of (process.env['PATH'] ?? '/usr/bin:/bin').split(':')) {
    try {
      await access(join(dir, 'rpm'));
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}
