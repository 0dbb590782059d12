import type { Compilable, Kysely, Selectable } from 'kysely';
import type { KevEntriesTable, VulnAdvisoriesTable, VulnFindingsTable } from '../db/exposure-tables.ts';
import type { Database } from '../db/tables.ts';

export type AdvisoryRow = Selectable<VulnAdvisoriesTable>;
export type KevRow = Selectable<KevEntriesTable>;
export type FindingRow = Selectable<VulnFindingsTable>;
export type FindingWithDeviceRow = FindingRow & { hostname: string | null };

export interface FindingFilter {
  orgId: string;
  deviceId?: string;
  /** Lowest severity rank shown (low 1 … critical 4). */
  severities?: readonly string[];
  kev?: boolean;
  advisoryId?: string;
  packageName?: string;
  limit: number;
  offset: number;
}

/** Queries on advisories, the KEV catalogue and vulnerability findings. */
export class VulnerabilitiesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  upsertAdvisoryQueries(
    row: AdvisoryRow,
    packages: Array<{ ecosystem: string; name: string }>,
  ): Compilable[] {
    return [
      this.db
        .insertInto('vuln_advisories')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['org_id', 'id']).doUpdateSet({
            aliases: row.aliases,
            cves: row.cves,
            summary: row.summary,
            severity: row.severity,
            cvss_score: row.cvss_score,
            published: row.published,
            modified: row.modified,
            advisory: row.advisory,
            imported_at: row.imported_at,
          }),
        ),
      this.db
        .deleteFrom('vuln_affected_packages')
        .where('org_id', '=', row.org_id)
        .where('advisory_id', '=', row.id),
      ...(packages.length > 0
        ? [
            this.db
              .insertInto('vuln_affected_packages')
              .values(packages.map((p) => ({ org_id: row.org_id, advisory_id: row.id, ...p }))),
          ]
        : []),
    ];
  }

  upsertKevQuery(row: KevRow): Compilable {
    const { org_id: _o, cve: _c, ...rest } = row;
    return this.db
      .insertInto('kev_entries')
      .values(row)
      .onConflict((oc) => oc.columns(['org_id', 'cve']).doUpdateSet(rest));
  }

  /** Advisories naming any of the packages (by ecosystem and normalized name). */
  async advisoriesFor(orgId: string, ecosystem: string, names: readonly string[]): Promise<AdvisoryRow[]> {
    if (names.length === 0) return [];
    const out: AdvisoryRow[] = [];
    for (let i = 0; i < names.length; i += 500) {
      const ids = this.db
        .selectFrom('vuln_affected_packages')
        .select('advisory_id')
        .where('org_id', '=', orgId)
        .where('ecosystem', '=', ecosystem)
        .where('name', 'in', names.slice(i, i + 500));
      out.push(
        ...(await this.db
          .selectFrom('vuln_advisories')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('id', 'in', ids)
          .execute()),
      );
    }
    return out;
  }

  async kevCves(orgId: string, cves: readonly string[]): Promise<Set<string>> {
    if (cves.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('kev_entries')
      .select('cve')
      .where('org_id', '=', orgId)
      .where('cve', 'in', [...cves])
      .execute();
    return new Set(rows.map((r) => r.cve));
  }

  async allKevCves(orgId: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom('kev_entries').select('cve').where('org_id', '=', orgId).execute();
    return new Set(rows.map((r) => r.cve));
  }

  findingsOfDevices(orgId: string, deviceIds: readonly string[]): Promise<FindingRow[]> {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('vuln_findings')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('device_id', 'in', deviceIds)
      .execute();
  }

  /** Replaces a device's findings; rows already known keep their first_seen (the caller sets it). */
  replaceFindingsQueries(orgId: string, deviceId: string, rows: FindingRow[]): Compilable[] {
    const out: Compilable[] = [
      this.db.deleteFrom('vuln_findings').where('org_id', '=', orgId).where('device_id', '=', deviceId),
    ];
    for (let i = 0; i < rows.length; i += 500)
      out.push(this.db.insertInto('vuln_findings').values(rows.slice(i, i + 500)));
    return out;
  }

  async devicesWithAdvisories(orgId: string, advisoryIds: readonly string[]): Promise<string[]> {
    if (advisoryIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('vuln_findings')
      .select('device_id')
      .distinct()
      .where('org_id', '=', orgId)
      .where('advisory_id', 'in', [...advisoryIds])
      .execute();
    return rows.map((r) => r.device_id);
  }

  /** Every advisory's id with its CVE ids (KEV imports flag findings through these). */
  advisoryCves(orgId: string): Promise<Array<{ id: string; cves: unknown }>> {
    return this.db.selectFrom('vuln_advisories').select(['id', 'cves']).where('org_id', '=', orgId).execute();
  }

  listFindings(f: FindingFilter): Promise<FindingWithDeviceRow[]> {
    let q = this.db
      .selectFrom('vuln_findings as f')
      .leftJoin('devices as d', 'd.id', 'f.device_id')
      .selectAll('f')
      .select('d.hostname')
      .where('f.org_id', '=', f.orgId);
    if (f.deviceId) q = q.where('f.device_id', '=', f.deviceId);
    if (f.severities) q = q.where('f.severity', 'in', [...f.severities]);
    if (f.kev !== undefined) q = q.where('f.kev', '=', f.kev ? 1 : 0);
    if (f.advisoryId) q = q.where('f.advisory_id', '=', f.advisoryId);
    if (f.packageName) q = q.where('f.package_name', '=', f.packageName);
    return q
      .orderBy('f.kev', 'desc')
      .orderBy('f.first_seen', 'desc')
      .orderBy('f.device_id')
      .orderBy('f.advisory_id')
      .orderBy('f.package_name')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
  }

  /** Per device: findings by severity and KEV flag (risk is computed from these). */
  deviceSeverityCounts(
    orgId: string,
    deviceId?: string,
  ): Promise<Array<{ device_id: string; severity: string; kev: number; n: number }>> {
    let q = this.db
      .selectFrom('vuln_findings')
      .select((eb) => ['device_id', 'severity', 'kev', eb.fn.countAll<number>().as('n')])
      .where('org_id', '=', orgId);
    if (deviceId) q = q.where('device_id', '=', deviceId);
    return q.groupBy(['device_id', 'severity', 'kev']).execute();
  }

  getAdvisory(orgId: string, id: string): Promise<AdvisoryRow | undefined> {
    return this.db
      .selectFrom('vuln_advisories')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  countAdvisories(orgId: string): Promise<{ advisories: number; kev: number }> {
    return Promise.all([
      this.db
        .selectFrom('vuln_advisories')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('kev_entries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', orgId)
        .executeTakeFirstOrThrow(),
    ]).then(([a, k]) => ({ advisories: Number(a.n), kev: Number(k.n) }));
  }
}
