import { DEFAULT_WATCHED_FILES } from '@harrier/schema';

/**
 * The agent's effective policy: defaults here, overridden by what the server returns from
 * `GET /api/v1/agents/config` (management issue). Unknown keys are ignored and wrong types
 * fall back to the default, so a newer or older server never breaks the agent.
 */
export interface AgentPolicy {
  /** Full command lines in process events; off sends the image only (seed 002's default). */
  collectCommandLines: boolean;
  collectors: {
    process: boolean;
    network: boolean;
    auth: boolean;
    persistence: boolean;
    fileIntegrity: boolean;
    software: boolean;
    osFacts: boolean;
  };
  intervals: {
    /** Seconds between /proc scans for new processes. */
    processS: number;
    /** Seconds between listener and auth-log scans. */
    fastS: number;
    /** Seconds between persistence and file-integrity scans. */
    filesS: number;
    /** Seconds between software-inventory checks (cheap: mtime of the package database). */
    softwareS: number;
    /** Seconds between full inventory snapshots when nothing changed (a change sends one sooner). */
    inventoryS: number;
    /** Seconds between pulls of the active network indicators (seed 004: 30 minutes). */
    iocsS: number;
    heartbeatS: number;
    configS: number;
    actionsS: number;
  };
  /** Paths (globs: `*`, `**`) watched for hash and metadata changes. */
  fimPaths: string[];
  /** Response actions this device may execute; empty means monitoring only. */
  allowedActions: string[];
  /** Commands `run_command` may run (exact argv[0] paths). */
  allowedCommands: string[];
  /** Spool bound in bytes; oldest segments are dropped beyond it. */
  spoolMaxBytes: number;
  /** Events per ingest batch. */
  batchMaxEvents: number;
}

/** Defaults for a freshly enrolled agent. */
export function defaultPolicy(): AgentPolicy {
  return {
    collectCommandLines: true,
    collectors: {
      process: true,
      network: true,
      auth: true,
      persistence: true,
      fileIntegrity: true,
      software: true,
      osFacts: true,
    },
    intervals: {
      processS: 2,
      fastS: 10,
      filesS: 60,
      softwareS: 300,
      inventoryS: 6 * 3600,
      iocsS: 1800,
      heartbeatS: 30,
      configS: 60,
      actionsS: 30,
    },
    fimPaths: [...DEFAULT_WATCHED_FILES],
    allowedActions: [],
    allowedCommands: [],
    spoolMaxBytes: 256 * 1024 * 1024,
    batchMaxEvents: 1000,
  };
}

type Json = unknown;

function pick(obj: Json, ...keys: string[]): Json {
  if (obj === null || typeof obj !== 'object') return undefined;
  const rec = obj as Record<string, Json>;
  for (const key of keys) if (key in rec) return rec[key];
  return undefined;
}

function bool(value: Json, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function seconds(value: Json, fallback: number, min = 1): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
}

function strings(value: Json, fallback: string[]): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : fallback;
}

/**
 * Merges a server configuration document onto the defaults. Accepts snake_case and camelCase
 * keys and an optional `{ policy: {...} }` or `{ config: {...} }` wrapper.
 */
export function mergePolicy(base: AgentPolicy, doc: Json): AgentPolicy {
  const src = pick(doc, 'policy', 'config') ?? doc;
  const collectors = pick(src, 'collectors');
  const intervals = pick(src, 'intervals');
  const response = pick(src, 'response');
  return {
    collectCommandLines: bool(
      pick(src, 'collect_command_lines', 'collectCommandLines', 'command_lines'),
      base.collectCommandLines,
    ),
    collectors: {
      process: bool(pick(collectors, 'process'), base.collectors.process),
      network: bool(pick(collectors, 'network'), base.collectors.network),
      auth: bool(pick(collectors, 'auth'), base.collectors.auth),
      persistence: bool(pick(collectors, 'persistence'), base.collectors.persistence),
      fileIntegrity: bool(
        pick(collectors, 'file_integrity', 'fileIntegrity', 'fim'),
        base.collectors.fileIntegrity,
      ),
      software: bool(pick(collectors, 'software'), base.collectors.software),
      osFacts: bool(pick(collectors, 'os_facts', 'osFacts'), base.collectors.osFacts),
    },
    intervals: {
      processS: seconds(pick(intervals, 'process_s', 'processS', 'process'), base.intervals.processS),
      fastS: seconds(pick(intervals, 'fast_s', 'fastS', 'network'), base.intervals.fastS),
      filesS: seconds(pick(intervals, 'files_s', 'filesS', 'files'), base.intervals.filesS),
      softwareS: seconds(pick(intervals, 'software_s', 'softwareS', 'software'), base.intervals.softwareS),
      inventoryS: seconds(
        pick(intervals, 'inventory_s', 'inventoryS', 'inventory'),
        base.intervals.inventoryS,
        60,
      ),
      iocsS: seconds(pick(intervals, 'iocs_s', 'iocsS', 'iocs'), base.intervals.iocsS, 60),
      heartbeatS: seconds(
        pick(intervals, 'heartbeat_s', 'heartbeatS', 'heartbeat'),
        base.intervals.heartbeatS,
        5,
      ),
      configS: seconds(pick(intervals, 'config_s', 'configS', 'config'), base.intervals.configS, 5),
      actionsS: seconds(pick(intervals, 'actions_s', 'actionsS', 'actions'), base.intervals.actionsS, 5),
    },
    fimPaths: strings(pick(src, 'fim_paths', 'fimPaths', 'file_paths', 'watch_paths'), base.fimPaths),
    allowedActions: strings(
      pick(response, 'allowed_actions', 'allowedActions') ?? pick(src, 'allowed_actions', 'allowedActions'),
      base.allowedActions,
    ),
    allowedCommands: strings(
      pick(response, 'allowed_commands', 'allowedCommands') ??
        pick(src, 'allowed_commands', 'allowedCommands'),
      base.allowedCommands,
    ),
    spoolMaxBytes: seconds(pick(src, 'spool_max_bytes', 'spoolMaxBytes'), base.spoolMaxBytes, 1024 * 1024),
    batchMaxEvents: seconds(pick(src, 'batch_max_events', 'batchMaxEvents'), base.batchMaxEvents),
  };
}
