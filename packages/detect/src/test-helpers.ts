/** Helpers shared by the detect tests (not part of the public API). */
import type { Logsource } from '@harrier/schema';
import { type DetectableEvent, DetectionEngine, type EngineOptions } from './engine.ts';

/** Wraps a detection block into a full rule document. */
export function ruleYaml(
  detection: string,
  logsource = 'product: windows\n  category: process_creation',
  extra = '',
): string {
  return `title: Test rule\nid: 00000000-0000-0000-0000-000000000001\nlevel: high\nlogsource:\n  ${logsource}\ndetection:\n${detection}\n${extra}`;
}

/** An engine over one YAML text; throws if the text has errors (tests of errors use loadRules). */
export function engineOf(yaml: string, opts: EngineOptions = {}): DetectionEngine {
  const engine = DetectionEngine.fromSources([{ path: 'test.yml', text: yaml }], opts);
  if (engine.errors.length > 0) throw new Error(`rule errors: ${JSON.stringify(engine.errors)}`);
  return engine;
}

/** A process_creation event with the given fields. */
export function procEvent(fields: Record<string, unknown>, ts = 0, logsource?: Logsource): DetectableEvent {
  return {
    ts,
    logsource: logsource ?? { product: 'windows', category: 'process_creation', service: 'sysmon' },
    fields,
  };
}

/** True when the one-rule engine matches the event fields. */
export function matches(
  detection: string,
  fields: Record<string, unknown>,
  opts: EngineOptions = {},
): boolean {
  return engineOf(ruleYaml(detection), opts).match(procEvent(fields)).length > 0;
}
