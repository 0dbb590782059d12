import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary directory tree standing in for `/` in collector tests. */
export class FixtureTree {
  private constructor(readonly root: string) {}

  static async create(prefix = 'harrier-agent-'): Promise<FixtureTree> {
    return new FixtureTree(await mkdtemp(join(tmpdir(), prefix)));
  }

  /** Absolute path in the tree for a root-relative path. */
  path(rel: string): string {
    return join(this.root, rel);
  }

  async write(rel: string, content: string | Buffer, mode?: number): Promise<void> {
    await mkdir(dirname(this.path(rel)), { recursive: true });
    await writeFile(this.path(rel), content, mode === undefined ? {} : { mode });
  }

  /**
   * A small Debian host for agent tests: passwd (root, alice), os-release, hostname, /proc's
   * stat, meminfo (2,000,000 kB, half available), uptime and cpuinfo, bash installed (binary and
   * dpkg), an empty auth.log, and init as pid 1.
   */
  async writeHost(hostname: string): Promise<void> {
    await this.write('etc/passwd', 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/bash\n');
    await this.write('etc/os-release', 'NAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
    await this.write('proc/sys/kernel/hostname', `${hostname}\n`);
    await this.write('proc/stat', 'cpu  100 0 100 800 0 0 0 0 0 0\nbtime 1700000000\n');
    await this.write('proc/meminfo', 'MemTotal: 2000000 kB\nMemAvailable: 1000000 kB\n');
    await this.write('proc/uptime', '100.0 50.0\n');
    await this.write('proc/cpuinfo', 'processor\t: 0\nmodel name\t: Test CPU\n');
    await this.write('usr/bin/bash', 'bash');
    await this.write(
      'var/lib/dpkg/status',
      'Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2\n',
    );
    await this.write('var/log/auth.log', '');
    await this.addProcess({
      pid: 1,
      ppid: 0,
      comm: 'init',
      exe: '/usr/bin/bash',
      argv: ['/sbin/init'],
      uid: 0,
      startTicks: 1,
    });
  }

  async link(rel: string, target: string): Promise<void> {
    await mkdir(dirname(this.path(rel)), { recursive: true });
    await rm(this.path(rel), { force: true });
    await symlink(target, this.path(rel));
  }

  /**
   * A fake process: stat (with start ticks), cmdline, status (uid), and exe/cwd links that
   * point into the tree.
   */
  async addProcess(p: {
    pid: number;
    ppid: number;
    comm: string;
    exe: string;
    argv: string[];
    uid: number;
    startTicks: number;
    cwd?: string;
  }): Promise<void> {
    const dir = `proc/${p.pid}`;
    const rest = [
      'S',
      p.ppid,
      p.pid,
      p.pid,
      0,
      -1,
      4194304,
      0,
      0,
      0,
      0,
      1,
      1,
      0,
      0,
      20,
      0,
      1,
      0,
      p.startTicks,
      0,
      0,
    ];
    await this.write(`${dir}/stat`, `${p.pid} (${p.comm}) ${rest.join(' ')}\n`);
    await this.write(`${dir}/cmdline`, `${p.argv.join('\0')}\0`);
    await this.write(
      `${dir}/status`,
      `Name:\t${p.comm}\nPid:\t${p.pid}\nPPid:\t${p.ppid}\nUid:\t${p.uid}\t${p.uid}\t${p.uid}\t${p.uid}\n`,
    );
    await this.link(`${dir}/exe`, this.path(p.exe));
    await this.link(`${dir}/cwd`, this.path(p.cwd ?? '/'));
  }

  async removeProcess(pid: number): Promise<void> {
    await rm(this.path(`proc/${pid}`), { recursive: true, force: true });
  }

  async remove(rel: string): Promise<void> {
    await rm(this.path(rel), { recursive: true, force: true });
  }

  async cleanup(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
