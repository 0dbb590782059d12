/**
 * MITRE ATT&CK references from Sigma tags: `attack.t1059.001` → technique `T1059.001`,
 * `attack.execution` → tactic `execution` (TA0002), `attack.g0046` → group, `attack.s0029` →
 * software. Tactic names are normalised to ATT&CK short names (hyphens), so both the older
 * `attack.privilege_escalation` and the current `attack.privilege-escalation` map to one tactic.
 */

/**
 * ATT&CK Enterprise tactics by short name. SigmaHQ also tags the newer `stealth` and
 * `defense-impairment` tactics; their ids are left out here rather than guessed.
 */
export const MITRE_TACTICS: Readonly<Record<string, { id?: string; name: string }>> = {
  reconnaissance: { id: 'TA0043', name: 'Reconnaissance' },
  'resource-development': { id: 'TA0042', name: 'Resource Development' },
  'initial-access': { id: 'TA0001', name: 'Initial Access' },
  execution: { id: 'TA0002', name: 'Execution' },
  persistence: { id: 'TA0003', name: 'Persistence' },
  'privilege-escalation': { id: 'TA0004', name: 'Privilege Escalation' },
  'defense-evasion': { id: 'TA0005', name: 'Defense Evasion' },
  stealth: { name: 'Stealth' },
  'defense-impairment': { name: 'Defense Impairment' },
  'credential-access': { id: 'TA0006', name: 'Credential Access' },
  discovery: { id: 'TA0007', name: 'Discovery' },
  'lateral-movement': { id: 'TA0008', name: 'Lateral Movement' },
  collection: { id: 'TA0009', name: 'Collection' },
  'command-and-control': { id: 'TA0011', name: 'Command and Control' },
  exfiltration: { id: 'TA0010', name: 'Exfiltration' },
  impact: { id: 'TA0040', name: 'Impact' },
};

/** ATT&CK references of a rule. */
export interface MitreRefs {
  /** Technique and sub-technique ids, upper case (`T1059`, `T1059.001`), in tag order, unique. */
  techniques: string[];
  /** Tactic short names (`execution`, `privilege-escalation`). */
  tactics: string[];
  /** Tactic ids (`TA0002`) for the tactics above that ATT&CK defines. */
  tactic_ids: string[];
  /** Group ids (`G0046`). */
  groups: string[];
  /** Software ids (`S0029`). */
  software: string[];
}

const TECHNIQUE = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;
const GROUP = /^attack\.(g\d{4})$/i;
const SOFTWARE = /^attack\.(s\d{4})$/i;
const TACTIC = /^attack\.([a-z][a-z_-]*)$/i;

function pushUnique(list: string[], v: string): void {
  if (!list.includes(v)) list.push(v);
}

/** Extracts ATT&CK techniques, tactics, groups and software from Sigma tags. */
export function mitreFromTags(tags: readonly string[]): MitreRefs {
  const out: MitreRefs = { techniques: [], tactics: [], tactic_ids: [], groups: [], software: [] };
  for (const raw of tags) {
    const tag = raw.trim();
    let m = TECHNIQUE.exec(tag);
    if (m) {
      pushUnique(out.techniques, m[1]!.toUpperCase());
      continue;
    }
    m = GROUP.exec(tag);
    if (m) {
      pushUnique(out.groups, m[1]!.toUpperCase());
      continue;
    }
    m = SOFTWARE.exec(tag);
    if (m) {
      pushUnique(out.software, m[1]!.toUpperCase());
      continue;
    }
    m = TACTIC.exec(tag);
    if (m) {
      const name = m[1]!.toLowerCase().replace(/_/g, '-');
      pushUnique(out.tactics, name);
      const known = MITRE_TACTICS[name];
      if (known?.id !== undefined) pushUnique(out.tactic_ids, known.id);
    }
  }
  return out;
}
