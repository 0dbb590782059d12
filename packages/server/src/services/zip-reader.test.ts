import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readZip, writeZip, ZipError } from './zip-reader.ts';

const limits = { maxEntries: 10, maxTotalBytes: 1024 * 1024 };

test('reads the files it accepts, in order', () => {
  const zip = writeZip([
    { path: 'a/one.yml', data: Buffer.from('title: one\n') },
    { path: 'a/skip.md', data: Buffer.from('#') },
    { path: 'two.yaml', data: Buffer.from('title: two\n') },
  ]);
  const entries = readZip(zip, (p) => /\.ya?ml$/.test(p), limits);
  assert.deepEqual(
    entries.map((e) => [e.path, e.data.toString()]),
    [
      ['a/one.yml', 'title: one\n'],
      ['two.yaml', 'title: two\n'],
    ],
  );
});

test('refuses archives beyond the limits before inflating them, and damaged ones', () => {
  const bomb = writeZip([{ path: 'big.yml', data: Buffer.alloc(2 * 1024 * 1024) }]);
  assert.throws(() => readZip(bomb, () => true, limits), ZipError);
  const many = writeZip(Array.from({ length: 11 }, (_, i) => ({ path: `${i}.yml`, data: Buffer.from('x') })));
  assert.throws(() => readZip(many, () => true, limits), /more than 10 files/);
  assert.throws(() => readZip(Buffer.from('PK\u0003\u0004 nothing'), () => true, limits), /not a zip/);
  const lying = writeZip([{ path: 'a.yml', data: Buffer.alloc(4096, 65) }]);
  // Claim a smaller size in the central directory than the data inflates to.
  const dir = lying.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  lying.writeUInt32LE(10, dir + 24);
  assert.throws(() => readZip(lying, () => true, limits), ZipError);
});
