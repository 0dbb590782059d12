import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixedVersions, isAffected } from './affected-range.ts';
import { parseKevCsv } from './kev-catalog.ts';
import { parseOsvDocument } from './osv-advisory.ts';

/** Shaped like osv.dev's records for each ecosystem (trimmed). */
const DEBIAN = {
  schema_version: '1.6.0',
  id: 'DSA-5587-1',
  aliases: ['CVE-2023-38545'],
  summary: 'curl - security update',
  published: '2023-10-11T00:00:00Z',
  modified: '2024-01-02T00:00:00Z',
  affected: [
    {
      package: { ecosystem: 'Debian:12', name: 'curl' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '7.88.1-10+deb12u4' }] }],
    },
  ],
  references: [{ type: 'ADVISORY', url: 'https://www.debian.org/security/2023/dsa-5587' }],
};
const NPM = {
  id: 'GHSA-p6mc-m468-83gw',
  aliases: ['CVE-2020-8203'],
  summary: 'Prototype Pollution in lodash',
  database_specific: { severity: 'HIGH' },
  affected: [
    {
      package: { ecosystem: 'npm', name: 'lodash' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '3.7.0' }, { fixed: '4.17.19' }] }],
    },
  ],
};
const PYPI = {
  id: 'PYSEC-2023-74',
  aliases: ['CVE-2023-32681', 'GHSA-j8r2-6x86-q33q'],
  summary: 'Requests leaks Proxy-Authorization headers',
  severity: [{ type: 'CVSS_V3', score: '6.1' }],
  affected: [
    {
      package: { ecosystem: 'PyPI', name: 'Requests' },
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.31.0' }] },
        {
          type: 'GIT',
          repo: 'https://github.com/psf/requests',
          events: [{ introduced: '0' }, { fixed: 'abc' }],
        },
      ],
      versions: ['2.3.0', '2.30.0'],
    },
    { package: { ecosystem: 'crates.io', name: 'ignored' }, ranges: [] },
  ],
};
const TWO_RANGES = {
  id: 'TEST-1',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'pkg' },
      ranges: [
        {
          type: 'SEMVER',
          events: [
            { introduced: '2.0.0' },
            { fixed: '2.5.0' },
            { introduced: '1.0.0' },
            { last_affected: '1.4.2' },
          ],
        },
      ],
    },
  ],
};

test('OSV documents of each ecosystem are read; GIT ranges and unknown ecosystems are left out', () => {
  const { advisories, problems } = parseOsvDocument([DEBIAN, NPM, PYPI, { summary: 'no id' }]);
  assert.deepEqual(problems, [{ index: 3, id: null, message: 'an advisory needs an "id"' }]);
  assert.equal(advisories.length, 3);
  const [deb, npm, py] = advisories;
  assert.deepEqual(deb!.cves, ['CVE-2023-38545']);
  assert.equal(deb!.affected[0]!.ecosystem, 'Debian');
  assert.equal(deb!.affected[0]!.ecosystemName, 'Debian:12');
  assert.equal(npm!.severity, 'high');
  assert.equal(py!.severity, 'medium');
  assert.equal(py!.cvssScore, 6.1);
  assert.equal(py!.affected.length, 1);
  assert.equal(py!.affected[0]!.ranges.length, 1);
  assert.deepEqual(parseOsvDocument({ vulns: [NPM] }).advisories[0]!.id, 'GHSA-p6mc-m468-83gw');
});

test('versions are matched against ranges with each ecosystem’s ordering', () => {
  const [deb, npm, py] = parseOsvDocument([DEBIAN, NPM, PYPI]).advisories;
  const curl = deb!.affected[0]!;
  assert.equal(isAffected(curl, 'curl', '7.88.1-10+deb12u3'), true);
  assert.equal(isAffected(curl, 'curl', '7.88.1-10+deb12u4'), false);
  assert.equal(
    isAffected(curl, 'curl', '7.88.1-10+deb12u12'),
    false,
    'u12 is after u4 (digit runs by value)',
  );
  assert.equal(isAffected(curl, 'libcurl4', '7.0'), false);
  assert.deepEqual(fixedVersions(curl), ['7.88.1-10+deb12u4']);

  const lodash = npm!.affected[0]!;
  assert.equal(isAffected(lodash, 'lodash', '3.6.9'), false);
  assert.equal(isAffected(lodash, 'lodash', '4.17.19-rc.1'), true, 'a prerelease comes before its release');
  assert.equal(isAffected(lodash, 'lodash', '4.17.19'), false);
  assert.equal(isAffected(lodash, 'lodash', 'garbage'), false);

  const requests = py!.affected[0]!;
  assert.equal(isAffected(requests, 'requests', '2.31.0rc1'), true);
  assert.equal(isAffected(requests, 'REQUESTS', '2.31.0'), false);
  assert.equal(isAffected(requests, 'requests', '2.2.1'), false);
  assert.equal(isAffected(requests, 'requests', '2.30.0'), true);
});

test('several introduced/fixed pairs and last_affected are evaluated in version order', () => {
  const pkg = parseOsvDocument(TWO_RANGES).advisories[0]!.affected[0]!;
  const at = (v: string) => isAffected(pkg, 'pkg', v);
  assert.deepEqual(['0.9.0', '1.0.0', '1.4.2', '1.4.3', '1.9.9', '2.0.0', '2.4.9', '2.5.0'].map(at), [
    false,
    true,
    true,
    false,
    false,
    true,
    true,
    false,
  ]);
});

test('the KEV catalogue CSV flags CVEs and notes ransomware use', () => {
  const csv = [
    'cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes',
    'CVE-2023-38545,Haxx,curl,"Haxx curl Heap Buffer Overflow",2024-01-01,"desc, with comma","Apply updates.",2024-01-22,Known,,CWE-787',
    'CVE-2021-44228,Apache,Log4j2,"Log4Shell",2021-12-10,d,a,2021-12-24,Unknown,,',
    'not-a-cve,x,y,z,,,,,,,',
  ].join('\r\n');
  const { entries, problems } = parseKevCsv(csv);
  assert.deepEqual(
    entries.map((e) => [e.cve, e.product, e.ransomware]),
    [
      ['CVE-2023-38545', 'curl', true],
      ['CVE-2021-44228', 'Log4j2', false],
    ],
  );
  assert.deepEqual(problems, [{ row: 4, message: 'row 4: "cveID" is not a CVE id' }]);
});
