import { DetectionEngine, loadRules, normalizeRecord, ruleAcceptsLogsource } from '@harrier/detect';
import { uuidv7 } from '@harrier/schema';
import type { Compilable, Insertable } from 'kysely';
import type { HarrierDatabase } from '../db/database.ts';
import type { RulesTable, RuleVersionsTable } from '../db/detection-tables.ts';
import { readJson } from '../db/json-column.ts';
import { conflict, notFound, unprocessable } from '../errors.ts';
import {
  type RuleFilter,
  type RuleRow,
  RulesRepository,
  type RuleVersionRow,
} from '../repositories/rules-repository.ts';
import { commitThroughWriter } from './committed-writes.ts';
import { type ConditionMapRule, conditionMapToSigma } from './condition-map-rules.ts';
import type { DetectionService } from './detection-service.ts';
import { parseRuleSource, type RuleDocument, type RuleProblem } from './rule-documents.ts';

/** Where a stored rule came from. */
export type RuleOrigin = 'sigma' | 'condition_map' | 'ioc' | 'builtin';

/** The outcome of one rule (or refused document) of an import. */
export interface RuleImportResult {
  path?: string | undefined;
  rule_id?: string | undefined;
  title?: string | undefined;
  /** `created`, `updated`, `unchanged` or `invalid`. */
  status: 'created' | 'updated' | 'unchanged' | 'invalid';
  id?: string | undefined;
  version?: number | undefined;
  line?: number | undefined;
  column?: number | undefined;
  code?: string | undefined;
  message?: string | undefined;
}

export interface RuleImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  results: RuleImportResult[];
}

/** One sample event of `POST /rules/test`, and what the rules made of it. */
export interface RuleTestResult {
  index: number;
  matched: boolean;
  rules: Array<{
    rule_id: string;
    matched: boolean;
    logsource_matched: boolean;
    selections: Record<string, boolean>;
  }>;
  error?: string;
}

export interface RuleChanges {
  yaml?: string | undefined;
  enabled?: boolean | undefined;
  groupBy?: string[] | undefined;
}

const invalidRule = (problems: RuleProblem[]) =>
  unprocessable(
    'invalid_rule',
    problems.length > 0
      ? `The rule cannot be used: line ${problems[0]!.line}, column ${problems[0]!.column}: ${problems[0]!.message}`
      : 'The rule cannot be used.',
    problems,
  );

/**
 * Rule management: Sigma YAML validated exactly as the engine will run it
 * (nothing stored changes when a rule is refused), every saved version kept,
 * imports with a result per rule, and the detection engines told to rebuild.
 */
export class RuleService {
  private readonly repo: RulesRepository;

  constructor(
    private readonly database: HarrierDatabase,
    private readonly detection: DetectionService,
  ) {
    this.repo = new RulesRepository(database.db);
  }

  list(filter: RuleFilter): Promise<RuleRow[]> {
    return this.repo.list(filter);
  }

  async get(orgId: string, id: string): Promise<RuleRow> {
    const row = await this.repo.findById(orgId, id);
    if (!row) throw notFound('rule_not_found', 'No such rule.');
    return row;
  }

  private async knownRefs(orgId: string, except?: string): Promise<string[]> {
    const refs: string[] = [];
    for (const r of await this.repo.refs(orgId)) {
      if (r.rule_uid === except) continue;
      refs.push(r.rule_uid);
      if (r.name) refs.push(r.name);
    }
    return refs;
  }

  /** Parses one rule; a source with anything but exactly one valid rule is a 422. */
  private async single(orgId: string, yaml: string, except?: string): Promise<RuleDocument> {
    const parsed = parseRuleSource(yaml, undefined, await this.knownRefs(orgId, except));
    if (parsed.problems.length > 0) throw invalidRule(parsed.problems);
    if (parsed.documents.length !== 1) {
      throw invalidRule([
        {
          line: parsed.documents[1]?.line ?? 1,
          column: 1,
          code: 'invalid_rule',
          message:
            parsed.documents.length === 0
              ? 'the YAML holds no rule'
              : 'the YAML holds more than one rule; import several rules through POST /api/v1/rules/import',
        },
      ]);
    }
    return parsed.documents[0]!;
  }

  private rowOf(
    orgId: string,
    doc: RuleDocument,
    origin: RuleOrigin,
    userId: string | null,
    now: number,
    enabled: boolean,
    groupBy: string[],
  ): { row: Insertable<RulesTable>; version: Insertable<RuleVersionsTable> } {
    const id = uuidv7(now);
    return {
      row: {
        id,
        org_id: orgId,
        ...this.columnsOf(doc),
        enabled: enabled ? 1 : 0,
        version: 1,
        group_by: JSON.stringify(groupBy),
        source: origin,
        created_by: userId,
        updated_by: userId,
        created_at: now,
        updated_at: now,
      },
      version: versionRow(orgId, id, 1, doc, userId, now),
    };
  }

  private columnsOf(doc: RuleDocument) {
    return {
      rule_uid: doc.uid,
      name: doc.name ?? null,
      title: doc.title,
      description: doc.description ?? null,
      level: doc.level ?? null,
      severity: doc.severity,
      status: doc.status ?? null,
      kind: doc.kind,
      yaml: doc.yaml,
      logsource: JSON.stringify(doc.logsource),
      tags: JSON.stringify(doc.tags),
      mitre_techniques: JSON.stringify(doc.mitreTechniques),
      mitre_tactics: JSON.stringify(doc.mitreTactics),
    };
  }

  /** Stores a new rule from Sigma YAML. */
  async create(
    orgId: string,
    userId: string | null,
    input: { yaml: string; enabled?: boolean | undefined; groupBy?: string[] | undefined },
    origin: RuleOrigin = 'sigma',
  ): Promise<RuleRow> {
    const doc = await this.single(orgId, input.yaml);
    if (await this.repo.findByUid(orgId, doc.uid)) {
      throw conflict('rule_exists', `A rule with id ${doc.uid} already exists; update it instead.`, {
        rule_id: doc.uid,
      });
    }
    const { row, version } = this.rowOf(
      orgId,
      doc,
      origin,
      userId,
      Date.now(),
      input.enabled ?? true,
      input.groupBy ?? [],
    );
    await commitThroughWriter(this.database, this.repo.insertQueries(row, version));
    this.detection.invalidate(orgId);
    return this.get(orgId, row.id!);
  }

  /** Changes a rule's YAML (a new version), its enabled flag or its alert grouping. */
  async update(orgId: string, userId: string | null, id: string, changes: RuleChanges): Promise<RuleRow> {
    const current = await this.get(orgId, id);
    const now = Date.now();
    const set: Partial<RulesTable> = { updated_by: userId, updated_at: now };
    let version: Insertable<RuleVersionsTable> | undefined;
    if (changes.yaml !== undefined && changes.yaml !== current.yaml) {
      const doc = await this.single(orgId, changes.yaml, current.rule_uid);
      if (doc.uid !== current.rule_uid && (await this.repo.findByUid(orgId, doc.uid))) {
        throw conflict('rule_exists', `Another rule already has id ${doc.uid}.`, { rule_id: doc.uid });
      }
      Object.assign(set, this.columnsOf(doc), { version: current.version + 1 });
      version = versionRow(orgId, id, current.version + 1, doc, userId, now);
    }
    if (changes.enabled !== undefined) set.enabled = changes.enabled ? 1 : 0;
    if (changes.groupBy !== undefined) set.group_by = JSON.stringify(changes.groupBy);
    await commitThroughWriter(this.database, this.repo.updateQueries(orgId, id, set, version));
    this.detection.invalidate(orgId);
    return this.get(orgId, id);
  }

  async setEnabled(orgId: string, userId: string | null, id: string, enabled: boolean): Promise<RuleRow> {
    return this.update(orgId, userId, id, { enabled });
  }

  /** Deletes a rule; its versions stay so alerts can still show what fired. */
  async delete(orgId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(orgId, id))) throw notFound('rule_not_found', 'No such rule.');
    this.detection.invalidate(orgId);
  }

  async versions(orgId: string, id: string): Promise<RuleVersionRow[]> {
    await this.get(orgId, id);
    return this.repo.versions(orgId, id);
  }

  async version(orgId: string, id: string, version: number): Promise<RuleVersionRow> {
    const row = await this.repo.version(orgId, id, version);
    if (!row) throw notFound('rule_version_not_found', 'No such rule version.');
    return row;
  }

  /**
   * Imports many rules (files of one or more YAML documents). A rule whose id
   * is stored is updated when its YAML differs; a refused document is reported
   * with its line and column and stops nothing else. `onProgress` is told after
   * each file.
   */
  async importSources(
    orgId: string,
    userId: string | null,
    sources: ReadonlyArray<{ path?: string | undefined; text: string }>,
    options: {
      enabled?: boolean | undefined;
      origin?: RuleOrigin;
      onProgress?: (done: number, total: number) => void;
    } = {},
  ): Promise<RuleImportSummary> {
    const existing = new Map<string, RuleRow>();
    for (const r of await this.repo.all(orgId)) existing.set(r.rule_uid, r);
    // References may point at stored rules or at any rule of this import.
    const refs = new Set(await this.knownRefs(orgId));
    for (const s of sources) {
      for (const m of s.text.matchAll(/^(?:id|name):\s*['"]?([^'"\s#]+)/gm)) refs.add(m[1]!);
    }
    const results: RuleImportResult[] = [];
    const writes: Compilable[] = [];
    const seen = new Set<string>();
    const now = Date.now();
    const refList = [...refs];
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i]!;
      // Validation compiles every rule: yield now and then so a big import does not stall requests.
      if (i % 32 === 31) await new Promise((resolve) => setImmediate(resolve));
      const parsed = parseRuleSource(source.text, source.path, refList);
      for (const p of parsed.problems) results.push({ ...p, status: 'invalid' });
      for (const doc of parsed.documents) {
        const base = { path: source.path, rule_id: doc.uid, title: doc.title };
        if (seen.has(doc.uid)) {
          results.push({
            ...base,
            status: 'invalid',
            line: doc.line,
            column: 1,
            code: 'duplicate_rule_id',
            message: `rule id ${doc.uid} appears twice in this import`,
          });
          continue;
        }
        seen.add(doc.uid);
        const stored = existing.get(doc.uid);
        if (stored === undefined) {
          const { row, version } = this.rowOf(
            orgId,
            doc,
            options.origin ?? 'sigma',
            userId,
            now,
            options.enabled ?? true,
            [],
          );
          writes.push(...this.repo.insertQueries(row, version));
          results.push({ ...base, status: 'created', id: row.id!, version: 1 });
        } else if (stored.yaml === doc.yaml) {
          results.push({ ...base, status: 'unchanged', id: stored.id, version: stored.version });
        } else {
          const v = stored.version + 1;
          const set = { ...this.columnsOf(doc), version: v, updated_by: userId, updated_at: now };
          const version = versionRow(orgId, stored.id, v, doc, userId, now);
          writes.push(...this.repo.updateQueries(orgId, stored.id, set, version));
          results.push({ ...base, status: 'updated', id: stored.id, version: v });
        }
      }
      options.onProgress?.(i + 1, sources.length);
    }
    if (writes.length > 0) {
      // One transaction: an import is stored whole or not at all.
      await commitThroughWriter(this.database, writes);
      this.detection.invalidate(orgId);
    }
    const count = (s: RuleImportResult['status']) => results.filter((r) => r.status === s).length;
    return {
      created: count('created'),
      updated: count('updated'),
      unchanged: count('unchanged'),
      invalid: count('invalid'),
      results,
    };
  }

  /** Imports seed 004's JSON condition-map rules, converted to Sigma. */
  importConditionMaps(
    orgId: string,
    userId: string | null,
    rules: ConditionMapRule[],
  ): Promise<RuleImportSummary> {
    const sources = rules.map((r, i) => ({ path: `condition_map[${i}]`, text: conditionMapToSigma(r) }));
    return this.importSources(orgId, userId, sources, { origin: 'condition_map' });
  }

  /** Every rule (or every enabled rule) as one multi-document YAML text. */
  async exportYaml(orgId: string, enabledOnly: boolean): Promise<string> {
    const rows = await this.repo.all(orgId, enabledOnly);
    return rows.map((r) => `${r.yaml.replace(/^---\s*\n/, '').trimEnd()}\n`).join('---\n');
  }

  /**
   * Runs Sigma YAML (one or more rules, correlations included) over sample
   * events without storing anything: for each event, which rules match and
   * which selections were true; correlations that fire over the sequence.
   */
  async test(orgId: string, yaml: string, samples: unknown[]) {
    const parsed = parseRuleSource(yaml, undefined, await this.knownRefs(orgId));
    if (parsed.problems.length > 0) throw invalidRule(parsed.problems);
    const loaded = loadRules([{ text: yaml }], { knownRuleRefs: await this.knownRefs(orgId) });
    if (loaded.rules.length === 0 && loaded.correlations.length === 0) {
      throw invalidRule([{ line: 1, column: 1, code: 'invalid_rule', message: 'the YAML holds no rule' }]);
    }
    const engine = new DetectionEngine(loaded);
    const results: RuleTestResult[] = [];
    const correlations: Array<{ rule_id: string; title: string; index: number; count: number }> = [];
    samples.forEach((sample, index) => {
      const event = normalizeRecord(sample);
      if (event === undefined) {
        results.push({ index, matched: false, rules: [], error: 'not an event shape Harrier reads' });
        return;
      }
      const detectable = { ...event, ts: event.ts || Date.now(), id: `sample-${index}` };
      const rules = loaded.rules.map((rule) => {
        const x = engine.explain(rule.meta.id, detectable)!;
        const logsourceMatched = ruleAcceptsLogsource(rule.meta.logsource, event.logsource ?? {});
        return {
          rule_id: rule.meta.id,
          matched: x.matched && logsourceMatched,
          logsource_matched: logsourceMatched,
          selections: x.selections,
        };
      });
      for (const m of engine.match(detectable)) {
        if (m.kind === 'correlation') {
          correlations.push({
            rule_id: m.rule_id,
            title: m.rule_title,
            index,
            count: m.correlation?.count ?? 0,
          });
        }
      }
      results.push({ index, matched: rules.some((r) => r.matched), rules });
    });
    return {
      rules: [
        ...loaded.rules.map((r) => ({ rule_id: r.meta.id, title: r.meta.title, kind: 'rule' as const })),
        ...loaded.correlations.map((c) => ({ rule_id: c.id, title: c.title, kind: 'correlation' as const })),
      ],
      results,
      correlations,
    };
  }

  /** Tags of a stored rule (for presenters that show them parsed). */
  static tags(row: RuleRow): string[] {
    return readJson<string[]>(row.tags, []);
  }
}

function versionRow(
  orgId: string,
  ruleId: string,
  version: number,
  doc: RuleDocument,
  userId: string | null,
  now: number,
): Insertable<RuleVersionsTable> {
  return {
    id: uuidv7(now),
    org_id: orgId,
    rule_id: ruleId,
    version,
    title: doc.title,
    yaml: doc.yaml,
    created_by: userId,
    created_at: now,
  };
}
