/** Public API of the Harrier detection engine (pure: no I/O, no clock). */

export type { GroupableEvent, GroupingWindow, OpenAlertWindow } from './alert-grouping.ts';
export {
  alertGroupKey,
  DEFAULT_GROUPING_WINDOW,
  extendAlertWindow,
  fallsInAlertWindow,
} from './alert-grouping.ts';
export { BUILTIN_PATTERN_RULES } from './analysis/builtin-pattern-rules.ts';
export { shannonEntropy } from './analysis/byte-entropy.ts';
export type { ElfFacts } from './analysis/elf-header.ts';
export { parseElfHeaders } from './analysis/elf-header.ts';
export type { AuthResult, EmailLink, EmailMessage, EmailReport } from './analysis/email-analysis.ts';
export { analyzeEmail, authenticationResults, messageLinks } from './analysis/email-analysis.ts';
export type { EmbeddedStrings } from './analysis/embedded-strings.ts';
export { embeddedStrings, printableStrings } from './analysis/embedded-strings.ts';
export type {
  FileReport,
  FileVerdict,
  IndicatorHit,
  IndicatorLookup,
  VerdictReason,
} from './analysis/file-analysis.ts';
export { analyzeFile } from './analysis/file-analysis.ts';
export type { FileType } from './analysis/file-type.ts';
export { detectFileType, looksLikeText } from './analysis/file-type.ts';
export type { PatternMatch, PatternRule } from './analysis/pattern-rules.ts';
export { matchPatternRules, PatternRuleError, parsePatternRules } from './analysis/pattern-rules.ts';
export type { PeFacts } from './analysis/pe-header.ts';
export { parsePeHeaders } from './analysis/pe-header.ts';
export type { ConditionNode } from './condition-parser.ts';
export { parseCondition } from './condition-parser.ts';
export type {
  CorrelationInput,
  CorrelationLimits,
  CorrelationMatch,
  CorrelationRule,
  CorrelationType,
  CountCondition,
} from './correlation.ts';
export { CorrelationEngine, conditionHolds, parseCorrelationRule } from './correlation.ts';
export type { DetectableEvent, DetectionMatch, EngineOptions } from './engine.ts';
export { DetectionEngine } from './engine.ts';
export type { RuleError, RuleErrorCode } from './errors.ts';
export { normalizeRecord, parseEventText } from './event-records.ts';
export * from './insights/index.ts';
export type { LogsourceHint } from './logsource-routing.ts';
export {
  AGENT_EVENT_CATEGORIES,
  logsourceKey,
  resolveLogsource,
  ruleAcceptsLogsource,
} from './logsource-routing.ts';
export type { MitreRefs } from './mitre-tags.ts';
export { MITRE_TACTICS, mitreFromTags } from './mitre-tags.ts';
export type { ValueOptions } from './modifiers.ts';
export { KNOWN_MODIFIERS } from './modifiers.ts';
export type { CompiledRule } from './rule-compiler.ts';
export { compileRule, explainSelections } from './rule-compiler.ts';
export type { LoadedRules, LoadOptions, RuleSource } from './rule-loader.ts';
export { loadRules } from './rule-loader.ts';
export type { RuleMetadata } from './rule-metadata.ts';
export { extractRuleMetadata } from './rule-metadata.ts';
export type { ParsedRuleDocument, ParseResult, SourcePosition } from './sigma-parser.ts';
export { parseSigmaYaml } from './sigma-parser.ts';
export { parseTimespan } from './timespan.ts';
export { fixedVersions, inRange, isAffected } from './vulns/affected-range.ts';
export { compareDebianVersions, parseDebianVersion } from './vulns/debian-version.ts';
export type { Ecosystem, VersionComparator } from './vulns/ecosystem-versions.ts';
export { ecosystemOf, normalizePackageName, versionComparator } from './vulns/ecosystem-versions.ts';
export type { KevEntry } from './vulns/kev-catalog.ts';
export { parseKevCsv } from './vulns/kev-catalog.ts';
export type { Advisory, AffectedPackage, OsvEvent, OsvProblem, OsvRange } from './vulns/osv-advisory.ts';
export { parseOsvAdvisory, parseOsvDocument } from './vulns/osv-advisory.ts';
export { comparePep440, parsePep440 } from './vulns/pep440-version.ts';
export { compareSemver, parseSemver } from './vulns/semver-version.ts';
