import { readJson } from '../db/json-column.ts';
import type { AnalysisRow, PatternRuleRow } from '../repositories/analyses-repository.ts';
import type { DeviceSoftwareRow, FleetPackageRow } from '../repositories/software-inventory-repository.ts';
import type { AdvisoryRow, FindingWithDeviceRow } from '../repositories/vulnerabilities-repository.ts';
import { isoTime } from './time.ts';

export function presentSoftware(r: DeviceSoftwareRow) {
  return {
    name: r.name,
    version: r.version,
    source: r.source,
    arch: r.arch === '' ? null : r.arch,
    vendor: r.vendor,
    source_package: r.source_package,
    ecosystem: r.ecosystem,
    first_seen: isoTime(Number(r.first_seen)),
    updated_at: isoTime(Number(r.updated_at)),
  };
}

export function presentFleetPackage(r: FleetPackageRow) {
  return {
    name: r.name,
    source: r.source,
    ecosystem: r.ecosystem,
    devices: Number(r.devices),
    versions: Number(r.versions),
  };
}

export function presentFinding(r: FindingWithDeviceRow) {
  return {
    device_id: r.device_id,
    hostname: r.hostname,
    advisory_id: r.advisory_id,
    package: r.package_name,
    installed_version: r.installed_version,
    fixed_versions: readJson<string[]>(r.fixed_versions, []),
    severity: r.severity,
    cves: readJson<string[]>(r.cves, []),
    known_exploited: Number(r.kev) === 1,
    first_seen: isoTime(Number(r.first_seen)),
    last_seen: isoTime(Number(r.last_seen)),
  };
}

export function presentAdvisory(r: AdvisoryRow) {
  const a = readJson<{ details?: string; references?: string[]; affected?: unknown[] }>(r.advisory, {});
  return {
    id: r.id,
    aliases: readJson<string[]>(r.aliases, []),
    cves: readJson<string[]>(r.cves, []),
    summary: r.summary,
    details: a.details ?? '',
    severity: r.severity,
    cvss_score: r.cvss_score === null ? null : Number(r.cvss_score),
    published: r.published,
    modified: r.modified,
    references: a.references ?? [],
    affected: a.affected ?? [],
    imported_at: isoTime(Number(r.imported_at)),
  };
}

export function presentAnalysisSummary(r: AnalysisRow) {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    size: Number(r.size),
    sha256: r.sha256,
    verdict: r.verdict,
    case_id: r.case_id,
    alert_id: r.alert_id,
    created_by: r.created_by,
    created_at: isoTime(Number(r.created_at)),
  };
}

export function presentAnalysis(r: AnalysisRow) {
  return { ...presentAnalysisSummary(r), report: readJson<unknown>(r.report, null) };
}

export function presentPatternRule(r: PatternRuleRow) {
  return {
    id: r.id,
    name: r.name,
    source: r.source,
    enabled: r.enabled === 1,
    created_by: r.created_by,
    created_at: isoTime(Number(r.created_at)),
    updated_at: isoTime(Number(r.updated_at)),
  };
}
