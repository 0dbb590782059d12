import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { CONFIG_VARIABLES } from './config.ts';

// No Docker engine or helm runs in CI, so the container files are checked for what they must
// hold and for agreeing with the code: workspaces, CLI roles, configuration variables, probes.
const root = new URL('../../../', import.meta.url).pathname;
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const variables = new Set(CONFIG_VARIABLES.map((v) => v.name));

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const stages = text.split(/^FROM /m).slice(1);

  test('builds in one stage and runs the pruned tree as a non-root user in another', () => {
    assert.ok(stages.length >= 2, 'multi-stage');
    assert.match(stages[0]!, /^\S+ AS build/);
    assert.match(stages[0]!, /npm ci/);
    assert.match(stages[0]!, /npm run build/, 'the web console is built in the build stage');
    assert.match(stages[0]!, /npm prune --omit=dev/);
    const runtime = stages.at(-1)!;
    assert.match(runtime, /COPY --from=build/);
    const user = /^USER (\S+)/m.exec(runtime)?.[1];
    assert.ok(user && user !== 'root' && user !== '0', `runs as ${user}`);
    assert.match(runtime, /HEALTHCHECK[\s\S]*\/health/);
    const entry = /^ENTRYPOINT \[(.*)\]/m.exec(runtime)?.[1] ?? '';
    const script = /"\/app\/([^"]+harrier\.js)"/.exec(entry)?.[1];
    assert.ok(script && existsSync(join(root, script)), `entrypoint ${entry}`);
  });

  test('copies the manifest of every workspace before npm ci', () => {
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    for (const w of workspaces) assert.ok(text.includes(`COPY ${w}/package.json ${w}/`), w);
  });

  test('.dockerignore keeps dependencies, data and git out of the context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['.git', '**/node_modules', 'data']) assert.ok(ignored.includes(entry), entry);
  });
});

describe('deploy/compose.yaml', () => {
  const compose = parse(read('deploy/compose.yaml'), { merge: true }) as {
    services: Record<
      string,
      {
        image?: string;
        command?: string[];
        environment?: Record<string, string>;
        deploy?: { replicas?: number };
        volumes?: string[];
      }
    >;
  };
  const s = compose.services;

  test('PostgreSQL, NATS with JetStream, 2 ingest, 2 detect and 1 api', () => {
    assert.match(s.postgres?.image ?? '', /^postgres:/);
    assert.match(s.nats?.image ?? '', /^nats:/);
    assert.ok(s.nats?.command?.includes('--jetstream'));
    const roles: Record<string, number> = { ingest: 2, detect: 2, api: 1 };
    for (const [role, replicas] of Object.entries(roles)) {
      assert.deepEqual(s[role]?.command, ['serve', '--role', role]);
      assert.equal(s[role]?.deploy?.replicas, replicas, role);
    }
    assert.deepEqual(s.migrate?.command, ['migrate']);
  });

  test("every Harrier service's variables are ones config.ts reads, with the database and NATS set", () => {
    for (const name of ['ingest', 'detect', 'api', 'migrate']) {
      const env = s[name]?.environment ?? {};
      for (const key of Object.keys(env))
        assert.ok(variables.has(key), `${name}: ${key} is not in CONFIG_VARIABLES`);
      assert.match(env.DATABASE_URL ?? '', /^postgres:\/\/.*@postgres:5432\//);
      assert.equal(env.HARRIER_NATS_URL, 'nats://nats:4222');
      assert.ok(env.HARRIER_SECRET, 'HARRIER_SECRET');
    }
  });

  test('files the services mount exist', () => {
    for (const svc of Object.values(s)) {
      for (const v of svc.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (source.startsWith('./')) assert.ok(existsSync(join(root, 'deploy', source)), v);
      }
    }
  });
});

describe('deploy/helm/harrier', () => {
  const chartDir = 'deploy/helm/harrier';
  const chart = parse(read(`${chartDir}/Chart.yaml`)) as Record<string, unknown>;
  const values = parse(read(`${chartDir}/values.yaml`)) as Record<string, unknown> & {
    roles: Record<string, { autoscaling?: { enabled: boolean } }>;
    config: Record<string, string>;
    probes: { liveness: { path: string }; readiness: { path: string } };
  };
  const templates = Object.fromEntries(
    readdirSync(join(root, chartDir, 'templates')).map((f) => [f, read(`${chartDir}/templates/${f}`)]),
  );
  const all = Object.values(templates).join('\n');

  test('chart metadata and values parse', () => {
    assert.equal(chart.apiVersion, 'v2');
    assert.equal(chart.name, 'harrier');
    assert.ok(chart.version);
    assert.deepEqual(Object.keys(values.roles).sort(), ['api', 'detect', 'ingest']);
    for (const key of Object.keys(values.config)) assert.ok(variables.has(key), `config.${key}`);
  });

  test('Deployments per role with probes on /health and /ready; HPA for ingest and detect', () => {
    const deployment = templates['deployment.yaml']!;
    assert.match(deployment, /kind: Deployment/);
    assert.match(deployment, /range \$role, \$spec := \.Values\.roles/);
    assert.match(deployment, /args: \["serve", "--role", \{\{ \$role \| quote \}\}\]/);
    assert.match(deployment, /livenessProbe:[\s\S]*path: \{\{ \$\.Values\.probes\.liveness\.path \}\}/);
    assert.match(deployment, /readinessProbe:[\s\S]*path: \{\{ \$\.Values\.probes\.readiness\.path \}\}/);
    assert.equal(values.probes.liveness.path, '/health');
    assert.equal(values.probes.readiness.path, '/ready');
    const hpa = templates['hpa.yaml']!;
    assert.match(hpa, /kind: HorizontalPodAutoscaler/);
    assert.match(hpa, /list "ingest" "detect"/);
    assert.equal(values.roles.ingest?.autoscaling?.enabled, true);
    assert.equal(values.roles.detect?.autoscaling?.enabled, true);
    assert.match(templates['service.yaml']!, /kind: Service/);
  });

  test('HARRIER_SECRET and DATABASE_URL come from a Kubernetes Secret', () => {
    const helpers = templates['_helpers.tpl']!;
    for (const name of ['HARRIER_SECRET', 'DATABASE_URL']) {
      assert.match(helpers, new RegExp(`- name: ${name}\\n\\s+valueFrom:\\n\\s+secretKeyRef:`), name);
    }
    assert.ok(!/HARRIER_SECRET|DATABASE_URL/.test(JSON.stringify(values.config)), 'no secret in values');
  });

  test('every .Values path the templates read exists in values.yaml', () => {
    const paths = new Set([...all.matchAll(/\$?\.Values((?:\.[A-Za-z_]\w*)+)/g)].map((m) => m[1]!.slice(1)));
    assert.ok(paths.size > 10);
    for (const path of paths) {
      let node: unknown = values;
      for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
      assert.notEqual(node, undefined, `.Values.${path}`);
    }
  });

  test('template actions are balanced', () => {
    for (const [file, text] of Object.entries(templates)) {
      assert.equal(text.split('{{').length, text.split('}}').length, `${file}: {{ and }}`);
      const opens = [...text.matchAll(/\{\{-?\s*(if|range|with|define)\b/g)].length;
      const ends = [...text.matchAll(/\{\{-?\s*end\b/g)].length;
      assert.equal(opens, ends, `${file}: blocks and ends`);
    }
  });
});
