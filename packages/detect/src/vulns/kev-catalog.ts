import { parseCsvObjects } from '@harrier/schema';

/** One entry of CISA's Known Exploited Vulnerabilities catalogue. */
export interface KevEntry {
  cve: string;
  vendor: string;
  product: string;
  name: string;
  dateAdded: string;
  dueDate: string;
  ransomware: boolean;
  requiredAction: string;
}

/**
 * Reads the KEV catalogue as CISA publishes it in CSV (`cveID`, `vendorProject`,
 * `product`, `vulnerabilityName`, `dateAdded`, `requiredAction`, `dueDate`,
 * `knownRansomwareCampaignUse`, …). Rows without a CVE id are reported by line.
 */
export function parseKevCsv(text: string): {
  entries: KevEntry[];
  problems: Array<{ row: number; message: string }>;
} {
  const entries: KevEntry[] = [];
  const problems: Array<{ row: number; message: string }> = [];
  parseCsvObjects(text).forEach((r, i) => {
    const cve = (r.cveID ?? '').trim().toUpperCase();
    if (!/^CVE-\d{4}-\d{4,}$/.test(cve)) {
      problems.push({ row: i + 2, message: `row ${i + 2}: "cveID" is not a CVE id` });
      return;
    }
    entries.push({
      cve,
      vendor: r.vendorProject ?? '',
      product: r.product ?? '',
      name: r.vulnerabilityName ?? '',
      dateAdded: r.dateAdded ?? '',
      dueDate: r.dueDate ?? '',
      ransomware: (r.knownRansomwareCampaignUse ?? '').trim().toLowerCase() === 'known',
      requiredAction: r.requiredAction ?? '',
    });
  });
  return { entries, problems };
}
