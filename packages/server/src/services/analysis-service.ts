import {
  analyzeEmail,
  analyzeFile,
  BUILTIN_PATTERN_RULES,
  type EmailMessage,
  type IndicatorHit,
  type IndicatorLookup,
  type PatternRule,
  PatternRuleError,
  parsePatternRules,
} from '@harrier/detect';
import { severityRank, uuidv7 } from '@harrier/schema';
import { simpleParser } from 'mailparser';
import type { DomainEventBus } from '../bus/domain-events.ts';
import type { HarrierDatabase } from '../db/database.ts';
import { readJson } from '../db/json-column.ts';
import { badRequest, notFound, unprocessable } from '../errors.ts';
import { AlertsRepository } from '../repositories/alerts-repository.ts';
import {
  AnalysesRepository,
  type AnalysisRow,
  type PatternRuleRow,
} from '../repositories/analyses-repository.ts';
import { commitThroughWriter } from './committed-writes.ts';
import { CLOSED_ALERT_STATUSES } from './detection-service.ts';
import type { IocService } from './ioc-service.ts';
import { uniqueOr409 } from './unique-violation.ts';

const BUILTIN = parsePatternRules(BUILTIN_PATTERN_RULES);

/** The rule id of alerts raised by e-mail analysis (rule_uid). */
export const EMAIL_ANALYSIS_RULE_UID = 'harrier:email-analysis';

/**
 * Static analysis of uploaded files and e-mails: the detect package reads the
 * bytes (never runs them), the organization's indicators and pattern rules
 * judge them, the report is stored and may be linked to a case; a malicious
 * e-mail raises an alert.
 */
export class AnalysisService {
  private readonly repo: AnalysesRepository;
  private readonly alerts: AlertsRepository;
  private readonly compiled = new Map<string, { stamp: string; rules: PatternRule[] }>();

  constructor(
    private readonly database: HarrierDatabase,
    private readonly iocs: IocService,
    private readonly domainEvents?: DomainEventBus,
  ) {
    this.repo = new AnalysesRepository(database.db);
    this.alerts = new AlertsRepository(database.db);
  }

  private lookup(orgId: string): IndicatorLookup {
    return async (o) => {
      const hits = await this.iocs.matchObservables(orgId, {
        hash: o.hashes,
        url: o.urls,
        ip: o.ipv4,
        email: o.emails,
      });
      return hits.map(
        (h): IndicatorHit => ({
          type: h.indicator.type,
          value: h.indicator.value,
          severity: h.indicator.severity,
          source: h.indicator.source,
        }),
      );
    };
  }

  /** Built-in rules plus the organization's enabled ones, compiled once per change. */
  private async rulesOf(orgId: string): Promise<PatternRule[]> {
    const rows = (await this.repo.listRules(orgId)).filter((r) => r.enabled === 1);
    const stamp = rows.map((r) => `${r.id}:${r.updated_at}`).join('|');
    const cached = this.compiled.get(orgId);
    if (cached?.stamp === stamp) return cached.rules;
    const rules = [...BUILTIN];
    for (const r of rows) {
      try {
        rules.push(...parsePatternRules(r.source));
      } catch {
        // Stored rules were validated on save; a rule that no longer parses is skipped, not fatal.
      }
    }
    this.compiled.set(orgId, { stamp, rules });
    return rules;
  }

  async analyzeFile(
    orgId: string,
    userId: string | null,
    input: { name: string; data: Buffer; caseId?: string },
  ): Promise<AnalysisRow> {
    const report = await analyzeFile(input.data, {
      rules: await this.rulesOf(orgId),
      lookup: this.lookup(orgId),
    });
    const row: AnalysisRow = {
      id: uuidv7(),
      org_id: orgId,
      kind: 'file',
      name: input.name,
      size: report.size,
      sha256: report.sha256,
      verdict: report.verdict,
      report: JSON.stringify(report),
      case_id: input.caseId ?? null,
      alert_id: null,
      created_by: userId,
      created_at: Date.now(),
    };
    await this.repo.insert(row);
    return row;
  }

  async analyzeEmail(
    orgId: string,
    userId: string | null,
    input: { name: string; data: Buffer; caseId?: string },
  ): Promise<AnalysisRow> {
    const message = await parseEml(input.data);
    const report = await analyzeEmail(message, {
      rules: await this.rulesOf(orgId),
      lookup: this.lookup(orgId),
    });
    const now = Date.now();
    const { createHash } = await import('node:crypto');
    const sha256 = createHash('sha256').update(input.data).digest('hex');
    const id = uuidv7(now);
    const alertId =
      report.verdict === 'malicious' ? await this.raiseAlert(orgId, id, sha256, report, now) : null;
    const row: AnalysisRow = {
      id,
      org_id: orgId,
      kind: 'email',
      name: input.name || report.subject || '(no subject)',
      size: input.data.length,
      sha256,
      verdict: report.verdict,
      report: JSON.stringify(report),
      case_id: input.caseId ?? null,
      alert_id: alertId,
      created_by: userId,
      created_at: now,
    };
    await this.repo.insert(row);
    return row;
  }

  /** One alert per message (by content hash) while it is open; the same message again grows it. */
  private async raiseAlert(
    orgId: string,
    analysisId: string,
    sha256: string,
    report: Awaited<ReturnType<typeof analyzeEmail>>,
    now: number,
  ): Promise<string> {
    const [open] = await this.alerts.findOpenForGroups(
      orgId,
      [{ ruleUid: EMAIL_ANALYSIS_RULE_UID, groupKey: sha256 }],
      0,
      CLOSED_ALERT_STATUSES,
    );
    if (open) {
      await commitThroughWriter(this.database, [
        this.alerts.growQuery(orgId, open.id, {
          first_seen: open.first_seen,
          last_seen: now,
          count: open.count + 1,
          matched_event_ids:
            typeof open.matched_event_ids === 'string'
              ? open.matched_event_ids
              : JSON.stringify(open.matched_event_ids),
          updated_at: now,
        }),
      ]);
      return open.id;
    }
    const severity = report.indicatorMatches.some((h) => h.severity === 'critical') ? 'critical' : 'high';
    const id = uuidv7(now);
    const title = `Malicious e-mail: ${report.subject || '(no subject)'}`.slice(0, 255);
    await commitThroughWriter(
      this.database,
      this.alerts.insertQueries([
        {
          id,
          org_id: orgId,
          rule_id: null,
          rule_uid: EMAIL_ANALYSIS_RULE_UID,
          rule_version: null,
          rule_title: 'E-mail analysis',
          kind: 'email_analysis',
          title,
          severity,
          severity_rank: severityRank(severity),
          status: 'open',
          device_id: null,
          group_key: sha256,
          first_seen: now,
          last_seen: now,
          count: 1,
          matched_event_ids: '[]',
          mitre_techniques: JSON.stringify(['T1566']),
          mitre_tactics: JSON.stringify(['initial-access']),
          details: JSON.stringify({
            analysis_id: analysisId,
            from: report.from,
            subject: report.subject,
            authentication: report.authentication,
            reasons: report.reasons.slice(0, 20),
          }),
          created_at: now,
          updated_at: now,
        },
      ]),
    );
    this.domainEvents?.publish({
      type: 'alert.created',
      orgId,
      subjectId: id,
      at: now,
      actorId: null,
      data: { title, severity, status: 'open', ruleUid: EMAIL_ANALYSIS_RULE_UID, deviceId: null, count: 1 },
    });
    return id;
  }

  async get(orgId: string, id: string): Promise<AnalysisRow> {
    const row = await this.repo.get(orgId, id);
    if (!row) throw notFound('analysis_not_found', 'No such analysis.');
    return row;
  }

  list(f: Parameters<AnalysesRepository['list']>[0]) {
    return this.repo.list(f);
  }

  listRules(orgId: string) {
    return this.repo.listRules(orgId);
  }

  async getRule(orgId: string, id: string): Promise<PatternRuleRow> {
    const row = await this.repo.getRule(orgId, id);
    if (!row) throw notFound('pattern_rule_not_found', 'No such pattern rule.');
    return row;
  }

  async createRule(
    orgId: string,
    userId: string | null,
    input: { source: string; enabled?: boolean },
  ): Promise<PatternRuleRow> {
    const name = validateRuleSource(input.source);
    const now = Date.now();
    const row: PatternRuleRow = {
      id: uuidv7(now),
      org_id: orgId,
      name,
      source: input.source,
      enabled: input.enabled === false ? 0 : 1,
      created_by: userId,
      created_at: now,
      updated_at: now,
    };
    await uniqueOr409(
      () => this.repo.insertRule(row),
      'pattern_rule_exists',
      `A pattern rule named ${name} exists.`,
    );
    return row;
  }

  async updateRule(
    orgId: string,
    id: string,
    input: { source?: string; enabled?: boolean },
  ): Promise<PatternRuleRow> {
    await this.getRule(orgId, id);
    const changes: Partial<PatternRuleRow> = { updated_at: Date.now() };
    if (input.source !== undefined) {
      changes.name = validateRuleSource(input.source);
      changes.source = input.source;
    }
    if (input.enabled !== undefined) changes.enabled = input.enabled ? 1 : 0;
    await uniqueOr409(
      () => this.repo.updateRule(orgId, id, changes),
      'pattern_rule_exists',
      'Another pattern rule has that name.',
    );
    return this.getRule(orgId, id);
  }

  async deleteRule(orgId: string, id: string): Promise<void> {
    if (!(await this.repo.deleteRule(orgId, id)))
      throw notFound('pattern_rule_not_found', 'No such pattern rule.');
  }
}

/** Exactly one rule per stored source; a problem is a 422 naming its line. */
function validateRuleSource(source: string): string {
  let rules: PatternRule[];
  try {
    rules = parsePatternRules(source);
  } catch (error) {
    if (error instanceof PatternRuleError) {
      throw unprocessable('invalid_pattern_rule', error.message, { line: error.line });
    }
    throw error;
  }
  if (rules.length !== 1)
    throw unprocessable('invalid_pattern_rule', 'Store exactly one rule per pattern rule.', {
      rules: rules.length,
    });
  return rules[0]!.name;
}

/** Parses a raw RFC 822 message into the shape analysis reads. */
export async function parseEml(data: Buffer): Promise<EmailMessage> {
  if (data.length === 0) throw badRequest('empty_body', 'The message is empty.');
  const parsed = await simpleParser(data, {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
  });
  const headers: Array<[string, string]> = parsed.headerLines.map((h) => {
    const colon = h.line.indexOf(':');
    return [
      h.key,
      colon >= 0
        ? h.line
            .slice(colon + 1)
            .replace(/\r?\n\s+/g, ' ')
            .trim()
        : '',
    ];
  });
  const known = new Set([
    'from',
    'to',
    'subject',
    'date',
    'message-id',
    'received',
    'return-path',
    'mime-version',
  ]);
  if (!headers.some(([k]) => known.has(k.toLowerCase()))) {
    throw badRequest(
      'invalid_email',
      'The body is not an RFC 822 message (no From, To, Subject, Date or Received header).',
    );
  }
  const first = (a: unknown) =>
    (Array.isArray(a) ? a[0] : a) as { value?: Array<{ address?: string; name?: string }> } | undefined;
  const from = first(parsed.from)?.value?.[0];
  const replyTo = (first(parsed.replyTo)?.value ?? []).map((v) => ({
    address: v.address ?? '',
    name: v.name ?? '',
  }));
  const returnPath =
    headers
      .find(([k]) => k === 'return-path')?.[1]
      ?.replace(/[<>]/g, '')
      .trim() || null;
  return {
    headers,
    from: from ? { address: from.address ?? '', name: from.name ?? '' } : null,
    replyTo,
    returnPath,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    attachments: parsed.attachments.slice(0, 50).map((a) => ({
      filename: a.filename ?? 'attachment',
      contentType: a.contentType,
      content: a.content,
    })),
  };
}

/** The stored report of a row. */
export function reportOf(row: AnalysisRow): unknown {
  return readJson<unknown>(row.report, null);
}
