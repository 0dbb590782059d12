import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { writeZip } from '../services/zip-reader.ts';
import { openMigrated, sqliteStore } from '../test-support/databases.ts';
import { startTestApp } from '../test-support/test-app.ts';
import { rulesCommand } from './rules-import-command.ts';

const rule = (n: number, body = 'Image|endswith: /tool') => `title: Rule ${n}
id: 9d0c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c${String(n).padStart(2, '0')}
logsource:
  product: linux
  category: process_creation
detection:
  selection:
    ${body}${n}
  condition: selection
level: low
`;

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

test('harrier rules import stores a directory and a zip, reports each rule, shows progress', async () => {
  const store = sqliteStore();
  const t = await startTestApp(store);
  const orgId = (await t.runtime.ctx.organizations.findBySlug('default'))!.id;
  await t.close();
  const dir = mkdtempSync(join(tmpdir(), 'harrier-rules-'));
  const saved = { ...process.env };
  try {
    mkdirSync(join(dir, 'linux'));
    writeFileSync(join(dir, 'linux', 'a.yml'), rule(1));
    writeFileSync(join(dir, 'linux', 'b.yaml'), rule(2));
    writeFileSync(join(dir, 'bad.yml'), rule(3, 'Image|sideways: /tool'));
    writeFileSync(join(dir, 'notes.txt'), 'not a rule');
    Object.assign(process.env, store.env, {
      HARRIER_SECRET: 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    });
    const out = sink();
    const err = sink();
    const code = await rulesCommand(['import', dir], { stdout: out.stream, stderr: err.stream });
    assert.equal(code, 1, err.text());
    const lines = out.text().trim().split('\n');
    assert.equal(lines.length, 3, out.text());
    assert.match(lines.find((l) => l.startsWith('invalid'))!, /bad\.yml:8:\d+\tunknown_modifier/);
    assert.equal(lines.filter((l) => l.startsWith('created')).length, 2);
    assert.match(err.text(), /\[#+\] 3\/3 files/);
    assert.match(err.text(), /2 created, 0 updated, 0 unchanged, 1 refused/);

    const zip = join(dir, 'rules.zip');
    writeFileSync(
      zip,
      writeZip([
        { path: 'x/a.yml', data: Buffer.from(rule(1)) },
        { path: 'x/c.yml', data: Buffer.from(rule(4)) },
      ]),
    );
    const out2 = sink();
    const err2 = sink();
    assert.equal(
      await rulesCommand(['import', zip], { stdout: out2.stream, stderr: err2.stream }),
      0,
      err2.text(),
    );
    assert.match(out2.text(), /^unchanged\t/m);
    assert.match(out2.text(), /^created\t.*rules\.zip:x\/c\.yml/m);

    assert.equal(await rulesCommand(['import'], { stdout: out2.stream, stderr: err2.stream }), 2);
    assert.equal(
      await rulesCommand(['import', join(dir, 'missing')], { stdout: out2.stream, stderr: err2.stream }),
      2,
    );

    const database = await openMigrated(store);
    const rows = await database.db
      .selectFrom('rules')
      .select('rule_uid')
      .where('org_id', '=', orgId)
      .execute();
    await database.close();
    assert.equal(rows.length, 3);
  } finally {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
    await store.cleanup();
  }
});
