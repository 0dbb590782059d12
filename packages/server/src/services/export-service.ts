import { readJson } from '../db/json-column.ts';
import type { PolicyRuleRow } from '../repositories/detector-configs-repository.ts';
import type { DetectorService } from './detector-service.ts';
import { toYaml } from './yaml-emitter.ts';

/**
 * A seed 000 rule as a Sigma rule, when its definition is a JSON object of
 * field conditions (`{"Image": "/tmp/x", "User": ["root", "admin"]}`): every
 * field must match (a list means any of its values), as the seed's engines
 * read it. Other definitions (free DSL text) have no Sigma form: undefined.
 */
export function policyRuleToSigma(rule: PolicyRuleRow): string | undefined {
  let definition: unknown;
  try {
    definition = JSON.parse(rule.definition);
  } catch {
    return undefined;
  }
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) return undefined;
  const selection: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(definition as Record<string, unknown>)) {
    const ok = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
    if (!(ok(value) || (Array.isArray(value) && value.length > 0 && value.every(ok)))) return undefined;
    selection[field] = value;
  }
  if (Object.keys(selection).length === 0) return undefined;
  return toYaml({
    title: rule.name,
    id: rule.id,
    status: 'experimental',
    description: `Seed 000 ${rule.type} rule${rule.policy_id ? ` of policy ${rule.policy_id}` : ''}, exported by Harrier.`,
    logsource: { product: 'harrier' },
    detection: { selection, condition: 'selection' },
    level: 'medium',
  });
}

/** The exports analytics services consume (seed 000's shapes and native JSON / Sigma YAML). */
export class ExportService {
  constructor(private readonly detectors: DetectorService) {}

  /** Seed 000 `GET /api/export/rules`: enabled rules only. */
  async seedRules(orgId: string) {
    const rules = await this.detectors.listRules(orgId, true);
    return {
      rules: rules.map((r) => ({
        id: r.id,
        name: r.name,
        type: r.type,
        definition: r.definition,
        policy_id: r.policy_id,
      })),
    };
  }

  /** Seed 000 `GET /api/export/detectors`: every configuration, params as a JSON string. */
  async seedDetectors(orgId: string) {
    const rows = await this.detectors.list(orgId);
    return {
      detectors: rows.map((d) => ({
        id: d.id,
        detector_name: d.name,
        params: JSON.stringify(readJson(d.params, {})),
        version: String(d.version),
      })),
    };
  }

  /** Enabled detection rules (Sigma) and enabled seed 000 rules, as JSON. */
  async rulesJson(orgId: string) {
    const [sigma, policyRules] = await Promise.all([
      this.detectors.enabledSigmaRules(orgId),
      this.detectors.listRules(orgId, true),
    ]);
    return {
      rules: sigma.map((r) => ({
        id: r.id,
        rule_uid: r.rule_uid,
        title: r.title,
        level: r.level,
        kind: r.kind,
        version: r.version,
        yaml: r.yaml,
      })),
      policy_rules: policyRules.map((r) => ({
        id: r.id,
        name: r.name,
        type: r.type,
        definition: r.definition,
        policy_id: r.policy_id,
        sigma: policyRuleToSigma(r) ?? null,
      })),
    };
  }

  /**
   * Enabled rules as one multi-document Sigma YAML stream: the stored Sigma
   * rules as written, then the seed 000 rules that have a Sigma form.
   */
  async rulesSigma(orgId: string): Promise<string> {
    const json = await this.rulesJson(orgId);
    const docs = [
      ...json.rules.map((r) => r.yaml.trim()),
      ...json.policy_rules.flatMap((r) => (r.sigma ? [r.sigma.trim()] : [])),
    ];
    return docs.length === 0 ? '' : `${docs.join('\n---\n')}\n`;
  }

  /** Enabled detector configurations, as JSON. */
  async detectorsJson(orgId: string) {
    const rows = await this.detectors.list(orgId, true);
    return {
      detectors: rows.map((d) => ({
        id: d.id,
        name: d.name,
        description: d.description,
        params: readJson<Record<string, unknown>>(d.params, {}),
        rule_packs: readJson<string[]>(d.rule_packs, []),
        version: d.version,
      })),
    };
  }

  /** Enabled detector configurations as YAML (one document). */
  async detectorsYaml(orgId: string): Promise<string> {
    return toYaml(await this.detectorsJson(orgId));
  }
}
