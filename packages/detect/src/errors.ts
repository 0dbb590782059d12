/**
 * Structured rule errors. A rule the engine cannot run is reported with where (file, line,
 * column) and why; nothing is thrown past the compiler and nothing is dropped silently.
 */

/** Machine-readable reason a rule was refused. */
export type RuleErrorCode =
  | 'invalid_yaml'
  | 'invalid_rule'
  | 'unknown_modifier'
  | 'invalid_modifier'
  | 'invalid_value'
  | 'invalid_regex'
  | 'unsafe_regex'
  | 'missing_selection'
  | 'invalid_condition'
  | 'unsupported_aggregation'
  | 'unresolved_placeholder'
  | 'unknown_rule_reference'
  | 'invalid_correlation'
  | 'duplicate_rule_id';

/** One refused rule (or document): 1-based line and column in its YAML source. */
export interface RuleError {
  path?: string;
  rule_id?: string;
  line: number;
  column: number;
  code: RuleErrorCode;
  message: string;
}

/** A YAML path inside a rule document, e.g. `['detection', 'selection', 'Image|endswith']`. */
export type YamlPath = ReadonlyArray<string | number>;

/**
 * Thrown inside the compiler and caught at the rule boundary, where the YAML path is turned into
 * a line and column. Never escapes the public API.
 */
export class RuleCompileError extends Error {
  readonly code: RuleErrorCode;
  readonly yamlPath: YamlPath;
  /** Character offset inside the scalar at `yamlPath` (condition token positions). */
  readonly offset: number | undefined;
  /** Whether the error is about the key at `yamlPath` (e.g. a modifier) or its value. */
  readonly target: 'key' | 'value';

  constructor(
    code: RuleErrorCode,
    message: string,
    yamlPath: YamlPath = [],
    offset?: number,
    target: 'key' | 'value' = 'value',
  ) {
    super(message);
    this.code = code;
    this.yamlPath = yamlPath;
    this.offset = offset;
    this.target = target;
  }
}
