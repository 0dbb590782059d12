import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareDebianVersions } from './debian-version.ts';
import { comparePep440 } from './pep440-version.ts';
import { compareSemver } from './semver-version.ts';

/** Asserts the list is strictly ascending under the comparator (every pair, both ways). */
function ascending(compare: (a: string, b: string) => number | null, versions: string[]) {
  for (let i = 0; i < versions.length; i++) {
    for (let j = 0; j < versions.length; j++) {
      const expected = Math.sign(i - j);
      assert.equal(compare(versions[i]!, versions[j]!), expected, `${versions[i]} vs ${versions[j]}`);
    }
  }
}

test('Debian: epochs, tildes, letters before other characters, digit runs by value (dpkg)', () => {
  ascending(compareDebianVersions, [
    '1.0~alpha',
    '1.0~rc1',
    '1.0',
    '1.0-1',
    '1.0-1+deb12u1',
    '1.0-1+deb12u12',
    '1.0a',
    '1.0+dfsg',
    '1.0.0',
    '1.2',
    '1.10',
    '7.88.1-10+deb12u5',
    '1:0.9',
    '2:0.1',
  ]);
  assert.equal(compareDebianVersions('1.0-0', '1.0'), 0);
  assert.equal(compareDebianVersions('01.002', '1.2'), 0);
  assert.equal(compareDebianVersions('0:1.2', '1.2'), 0);
  assert.equal(compareDebianVersions('abc', '1.0'), null);
  assert.equal(compareDebianVersions('x:1.0', '1.0'), null);
});

test('npm: semver precedence with prereleases, build metadata ignored', () => {
  ascending(compareSemver, [
    '0.9.9',
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
    '1.2.0',
    '1.10.0',
    '2.0.0',
  ]);
  assert.equal(compareSemver('v1.2.3+build.5', '1.2.3'), 0);
  assert.equal(compareSemver('1.2', '1.2.0'), null);
  assert.equal(compareSemver('01.2.3', '1.2.3'), null);
});

test('PyPI: PEP 440 ordering of dev, pre, post and local versions', () => {
  ascending(comparePep440, [
    '1.0.dev0',
    '1.0a1',
    '1.0a2.dev1',
    '1.0a2',
    '1.0b1',
    '1.0rc1',
    '1.0',
    '1.0+abc',
    '1.0+abc.1',
    '1.0+5',
    '1.0.post1.dev0',
    '1.0.post1',
    '1.1',
    '1.10',
    '1!0.1',
  ]);
  assert.equal(comparePep440('1.0', '1.0.0'), 0);
  assert.equal(comparePep440('1.0-1', '1.0.post1'), 0);
  assert.equal(comparePep440('1.0RC1', '1.0rc1'), 0);
  assert.equal(comparePep440('1.0alpha2', '1.0a2'), 0);
  assert.equal(comparePep440('v2.0', '2.0'), 0);
  assert.equal(comparePep440('not a version', '1.0'), null);
});
