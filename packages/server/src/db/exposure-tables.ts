// Row shapes of the exposure tables (migration 0011). Times are epoch milliseconds; JSON
// columns are text on SQLite and jsonb on PostgreSQL.

/** One installed package on a device, keyed by package manager, name and architecture. */
export interface DeviceSoftwareTable {
  org_id: string;
  device_id: string;
  /** The package manager or catalogue: dpkg, rpm, npm, pip, msi… */
  source: string;
  name: string;
  arch: string;
  version: string;
  vendor: string | null;
  /** The source package a binary package was built from (Debian advisories name source packages). */
  source_package: string | null;
  /** The OSV ecosystem whose advisories apply (Debian, npm, PyPI), null when none does. */
  ecosystem: string | null;
  first_seen: number;
  updated_at: number;
}

export interface DeviceHardwareTable {
  device_id: string;
  org_id: string;
  facts: string;
  collected_at: number;
}

export interface VulnAdvisoriesTable {
  org_id: string;
  id: string;
  aliases: string;
  cves: string;
  summary: string;
  severity: string | null;
  cvss_score: number | null;
  published: string | null;
  modified: string | null;
  /** The parsed advisory (detect's `Advisory`), ranges included. */
  advisory: string;
  imported_at: number;
}

export interface VulnAffectedPackagesTable {
  org_id: string;
  advisory_id: string;
  ecosystem: string;
  /** Normalized as the ecosystem compares names (PyPI: PEP 503). */
  name: string;
}

export interface KevEntriesTable {
  org_id: string;
  cve: string;
  vendor: string;
  product: string;
  name: string;
  date_added: string;
  due_date: string;
  ransomware: number;
  imported_at: number;
}

export interface VulnFindingsTable {
  org_id: string;
  device_id: string;
  advisory_id: string;
  package_name: string;
  installed_version: string;
  fixed_versions: string;
  severity: string;
  cves: string;
  kev: number;
  first_seen: number;
  last_seen: number;
}

export interface PatternRulesTable {
  id: string;
  org_id: string;
  name: string;
  source: string;
  enabled: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface AnalysesTable {
  id: string;
  org_id: string;
  kind: 'file' | 'email';
  name: string;
  size: number;
  sha256: string;
  verdict: string;
  report: string;
  case_id: string | null;
  alert_id: string | null;
  created_by: string | null;
  created_at: number;
}

export interface ExposureTables {
  device_software: DeviceSoftwareTable;
  device_hardware: DeviceHardwareTable;
  vuln_advisories: VulnAdvisoriesTable;
  vuln_affected_packages: VulnAffectedPackagesTable;
  kev_entries: KevEntriesTable;
  vuln_findings: VulnFindingsTable;
  pattern_rules: PatternRulesTable;
  analyses: AnalysesTable;
}
