import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { policyRuleToSigma } from '../services/export-service.ts';
import { testStores } from '../test-support/databases.ts';
import { type IdentityWorld, startIdentityWorld } from '../test-support/identity-fixtures.ts';

test('a seed 000 rule with a JSON field map becomes a Sigma rule; DSL text does not', () => {
  const base = {
    id: 'r1',
    org_id: 'o',
    policy_id: null,
    type: 'rule_based',
    enabled: 1,
    created_at: 0,
    updated_at: 0,
  };
  const yaml = policyRuleToSigma({
    ...base,
    name: 'Tmp exec',
    definition: '{"Image":"/tmp/x","User":["root","admin"]}',
  });
  assert.equal(
    yaml,
    [
      'title: "Tmp exec"',
      'id: "r1"',
      'status: "experimental"',
      'description: "Seed 000 rule_based rule, exported by Harrier."',
      'logsource:',
      '  product: "harrier"',
      'detection:',
      '  selection:',
      '    Image: "/tmp/x"',
      '    User:',
      '      - "root"',
      '      - "admin"',
      '  condition: "selection"',
      'level: "medium"',
      '',
    ].join('\n'),
  );
  assert.equal(policyRuleToSigma({ ...base, name: 'dsl', definition: 'cpu > 90 and mem > 80' }), undefined);
  assert.equal(policyRuleToSigma({ ...base, name: 'nested', definition: '{"a":{"b":1}}' }), undefined);
});

for (const makeStore of testStores()) {
  const store = makeStore();
  describe(`detector configurations and exports on ${store.name}`, () => {
    let w: IdentityWorld;
    before(async () => {
      w = await startIdentityWorld(store);
    });
    after(async () => {
      await w.t.close();
      await store.cleanup();
    });
    const lead = () => w.users.team_lead.access;

    test('detectors: CRUD, 409 on duplicate names, versions on parameter changes', async () => {
      const created = await w.request('POST', '/api/v1/detectors', {
        token: lead(),
        body: { name: 'brute-force', params: { threshold: 5, window_s: 300 }, rule_packs: ['linux-auth'] },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().version, 1);
      assert.equal(created.json().enabled, true);
      const dup = await w.request('POST', '/api/v1/detectors', {
        token: lead(),
        body: { name: 'brute-force' },
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().error.code, 'detector_exists');
      const bad = await w.request('POST', '/api/v1/detectors', { token: lead(), body: { name: '' } });
      assert.equal(bad.statusCode, 400);
      const denied = await w.request('POST', '/api/v1/detectors', {
        token: w.users.analyst.access,
        body: { name: 'x' },
      });
      assert.equal(denied.statusCode, 403);
      const id = created.json().id;
      const same = await w.request('PATCH', `/api/v1/detectors/${id}`, {
        token: lead(),
        body: { params: { window_s: 300, threshold: 5 } },
      });
      assert.equal(same.json().version, 1, 'the same parameters in another key order are no change');
      const changed = await w.request('PATCH', `/api/v1/detectors/${id}`, {
        token: lead(),
        body: { params: { threshold: 10 } },
      });
      assert.equal(changed.json().version, 2);
      await w.request('POST', '/api/v1/detectors', { token: lead(), body: { name: 'off', enabled: false } });
      const list = await w.request('GET', '/api/v1/detectors', { token: w.users.read_only.access });
      assert.equal(list.json().items.length, 2);
    });

    test('exports: seed 000 shapes (enabled rules only), native JSON, Sigma and YAML, with an API token', async () => {
      await w.request('POST', '/api/rules', {
        token: lead(),
        body: { name: 'Tmp exec', type: 'rule_based', definition: '{"Image":"/tmp/x"}' },
      });
      await w.request('POST', '/api/rules', {
        token: lead(),
        body: { name: 'Disabled', type: 'anomaly', definition: 'x', enabled: false },
      });
      const anon = await w.request('GET', '/api/export/rules');
      assert.equal(anon.statusCode, 401);
      const { token } = await w.t.runtime.ctx.identity.apiTokens.create(
        { userId: w.users.team_lead.id, orgId: w.orgId, permissions: ['rules:read', 'policies:read'] },
        { name: 'analytics', permissions: ['rules:read', 'policies:read'] },
      );
      const rules = await w.request('GET', '/api/export/rules', { token });
      assert.equal(rules.statusCode, 200, rules.body);
      assert.deepEqual(
        rules.json().rules.map((r: { name: string; type: string }) => [r.name, r.type]),
        [['Tmp exec', 'rule_based']],
      );
      assert.deepEqual(Object.keys(rules.json().rules[0]).sort(), [
        'definition',
        'id',
        'name',
        'policy_id',
        'type',
      ]);
      const detectors = await w.request('GET', '/api/export/detectors', { token });
      const d = detectors
        .json()
        .detectors.find((x: { detector_name: string }) => x.detector_name === 'brute-force');
      assert.equal(typeof d.params, 'string');
      assert.deepEqual(JSON.parse(d.params), { threshold: 10 });
      assert.equal(d.version, '2');
      assert.equal(detectors.json().detectors.length, 2, 'seed 000 exports every detector');

      const native = await w.request('GET', '/api/v1/export/rules', { token });
      assert.equal(native.json().policy_rules.length, 1);
      assert.ok(native.json().policy_rules[0].sigma.includes('Image: "/tmp/x"'));
      const sigma = await w.request('GET', '/api/v1/export/rules?format=sigma', { token });
      assert.match(sigma.headers['content-type'] as string, /yaml/);
      assert.ok(sigma.body.includes('title: "Tmp exec"'));
      const yaml = await w.request('GET', '/api/v1/export/detectors?format=yaml', { token });
      assert.ok(yaml.body.startsWith('detectors:\n  -\n    id: '));
      assert.ok(!yaml.body.includes('"off"'), 'disabled detectors are not exported natively');
      const json = await w.request('GET', '/api/v1/export/detectors', { token });
      assert.deepEqual(json.json().detectors[0].rule_packs, ['linux-auth']);
    });
  });
}
