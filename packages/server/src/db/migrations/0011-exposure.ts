import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../tables.ts';

/**
 * Exposure: each device's software inventory and hardware facts, the
 * vulnerability advisories (OSV) and known-exploited catalogue (CISA KEV) an
 * organization imported, the findings that match the two, and static file and
 * e-mail analyses with the organization's own pattern rules.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const time = sql.raw(dialect === 'postgres' ? 'bigint' : 'integer');
  const json = sql.raw(dialect === 'postgres' ? 'jsonb' : 'text');
  const real = sql.raw(dialect === 'postgres' ? 'double precision' : 'real');

  await db.schema
    .createTable('device_software')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('arch', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('vendor', 'text')
    .addColumn('source_package', 'text')
    .addColumn('ecosystem', 'text')
    .addColumn('first_seen', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('device_software_pk', ['device_id', 'source', 'name', 'arch'])
    .execute();
  await db.schema
    .createIndex('device_software_org_name')
    .on('device_software')
    .columns(['org_id', 'name'])
    .execute();

  await db.schema
    .createTable('device_hardware')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('facts', json, (c) => c.notNull())
    .addColumn('collected_at', time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('vuln_advisories')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('aliases', json, (c) => c.notNull())
    .addColumn('cves', json, (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('severity', 'text')
    .addColumn('cvss_score', real)
    .addColumn('published', 'text')
    .addColumn('modified', 'text')
    .addColumn('advisory', json, (c) => c.notNull())
    .addColumn('imported_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('vuln_advisories_pk', ['org_id', 'id'])
    .execute();

  // One row per (advisory, package) so inventory joins on the package name, not a JSON scan.
  await db.schema
    .createTable('vuln_affected_packages')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('advisory_id', 'text', (c) => c.notNull())
    .addColumn('ecosystem', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('vuln_affected_packages_lookup')
    .on('vuln_affected_packages')
    .columns(['org_id', 'ecosystem', 'name'])
    .execute();
  await db.schema
    .createIndex('vuln_affected_packages_advisory')
    .on('vuln_affected_packages')
    .columns(['org_id', 'advisory_id'])
    .execute();

  await db.schema
    .createTable('kev_entries')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('cve', 'text', (c) => c.notNull())
    .addColumn('vendor', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('date_added', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('ransomware', 'integer', (c) => c.notNull())
    .addColumn('imported_at', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('kev_entries_pk', ['org_id', 'cve'])
    .execute();

  await db.schema
    .createTable('vuln_findings')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('advisory_id', 'text', (c) => c.notNull())
    .addColumn('package_name', 'text', (c) => c.notNull())
    .addColumn('installed_version', 'text', (c) => c.notNull())
    .addColumn('fixed_versions', json, (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('cves', json, (c) => c.notNull())
    .addColumn('kev', 'integer', (c) => c.notNull())
    .addColumn('first_seen', time, (c) => c.notNull())
    .addColumn('last_seen', time, (c) => c.notNull())
    .addPrimaryKeyConstraint('vuln_findings_pk', ['org_id', 'device_id', 'advisory_id', 'package_name'])
    .execute();
  await db.schema
    .createIndex('vuln_findings_org_severity')
    .on('vuln_findings')
    .columns(['org_id', 'severity'])
    .execute();

  await db.schema
    .createTable('pattern_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .addColumn('updated_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('pattern_rules_org_name')
    .on('pattern_rules')
    .columns(['org_id', 'name'])
    .unique()
    .execute();

  await db.schema
    .createTable('analyses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('report', json, (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('alert_id', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('analyses_org_created')
    .on('analyses')
    .columns(['org_id', 'created_at'])
    .execute();
  await db.schema.createIndex('analyses_org_sha256').on('analyses').columns(['org_id', 'sha256']).execute();
}
