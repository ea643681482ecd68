import assert from 'node:assert/strict';
import { applyTextEdits, setIngressEdit, TextEdit } from '../../src/core/knative/edits';
import { KnativeParseResult, KnativeService, OffsetRange, parseKnativeServices } from '../../src/core/knative/parse';
import { LineIndex, offsetToPosition, positionToOffset } from '../../src/core/knative/lineIndex';

const lines = (...source: string[]): string => source.join('\n') + '\n';
const crlf = (text: string): string => text.replace(/\n/g, '\r\n');
const slice = (text: string, range: OffsetRange | undefined): string | undefined => (range ? text.slice(range[0], range[1]) : undefined);

/** The seed's service, properly indented. */
const SEED = lines(
  'apiVersion: serving.knative.dev/v1',
  'kind: Service',
  'metadata:',
  '  name: my-global-app',
  '  namespace: default',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '      - image: us-docker.pkg.dev/cloudrun/container/hello',
);

const MULTI = lines(
  '# Frontend and backend of the shop.',
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: legacy',
  'spec:',
  '  replicas: 2',
  '---',
  'apiVersion: serving.knative.dev/v1',
  'kind: Service',
  'metadata:',
  '  name: shop-frontend # public',
  '  namespace: "123456789012"',
  '  labels:',
  '    cloud.googleapis.com/location: europe-west1',
  '  annotations:',
  '    run.googleapis.com/ingress: all',
  '    run.googleapis.com/ingress-status: all',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '      - image: europe-docker.pkg.dev/shop/web/frontend:1.4',
  '      - image: europe-docker.pkg.dev/shop/web/sidecar:2',
  '---',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata:',
  '  name: shop-config',
  'data:',
  '  kind: Service',
  '---',
  '# A core Kubernetes Service is not a Cloud Run service.',
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: not-knative',
  '---',
  'apiVersion: serving.knative.dev/v1',
  'kind: Service',
  'metadata:',
  '  name: shop-backend',
  '  namespace: 123456789012',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '      - image: europe-docker.pkg.dev/shop/api/backend@sha256:0123',
);

function only(result: KnativeParseResult): KnativeService {
  assert.equal(result.services.length, 1, `expected one service, got ${result.services.map((s) => s.name).join(', ')}`);
  return result.services[0];
}

function assertRangesInside(text: string, result: KnativeParseResult): void {
  const ranges: OffsetRange[] = result.errors.map((e) => e.range);
  for (const service of result.services) {
    for (const range of Object.values(service.ranges)) if (range) ranges.push(range as OffsetRange);
  }
  for (const [start, end] of ranges) {
    assert.ok(
      Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= text.length,
      `bad range [${start}, ${end}) in text of ${text.length}`,
    );
  }
}

describe('knative: parseKnativeServices', () => {
  it("reads the seed's service with its ranges and manifest", () => {
    const result = parseKnativeServices(SEED);
    assert.deepEqual(result.errors, []);
    assert.equal(result.documentCount, 1);
    const service = only(result);
    assert.equal(service.name, 'my-global-app');
    assert.equal(service.namespace, 'default');
    assert.equal(service.region, undefined);
    assert.equal(service.ingress, undefined);
    assert.deepEqual(service.images, ['us-docker.pkg.dev/cloudrun/container/hello']);
    assert.equal(service.documentIndex, 0);
    assert.equal(slice(SEED, service.ranges.name), 'my-global-app');
    assert.equal(slice(SEED, service.ranges.kind), 'kind: Service');
    assert.equal(slice(SEED, service.ranges.metadataKey), 'metadata');
    assert.deepEqual(service.ranges.ingressTarget, service.ranges.metadataKey);
    assert.deepEqual(service.ranges.document, [0, SEED.length]);
    assert.equal(service.ranges.contents[0], 0);
    assert.equal(service.ranges.annotationsKey, undefined);
    assert.deepEqual(service.manifest, {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: 'my-global-app', namespace: 'default' },
      spec: { template: { spec: { containers: [{ image: 'us-docker.pkg.dev/cloudrun/container/hello' }] } } },
    });
  });

  it('finds every Knative Service of a multi-document file and skips the other kinds', () => {
    const result = parseKnativeServices(MULTI);
    assert.deepEqual(result.errors, []);
    assert.equal(result.documentCount, 5);
    assert.deepEqual(
      result.services.map((s) => [s.documentIndex, s.name, s.namespace, s.region, s.ingress, s.ingressStatus, s.images]),
      [
        [
          1,
          'shop-frontend',
          '123456789012',
          'europe-west1',
          'all',
          'all',
          ['europe-docker.pkg.dev/shop/web/frontend:1.4', 'europe-docker.pkg.dev/shop/web/sidecar:2'],
        ],
        [4, 'shop-backend', '123456789012', undefined, undefined, undefined, ['europe-docker.pkg.dev/shop/api/backend@sha256:0123']],
      ],
    );
    const [frontend, backend] = result.services;
    assert.equal(slice(MULTI, frontend.ranges.name), 'shop-frontend', 'the trailing comment is not part of the name');
    assert.equal(slice(MULTI, frontend.ranges.region), 'europe-west1');
    assert.equal(slice(MULTI, frontend.ranges.ingress), 'all');
    assert.deepEqual(frontend.ranges.ingressTarget, frontend.ranges.ingress);
    assert.equal(slice(MULTI, frontend.ranges.annotationsKey), 'annotations');
    assert.equal(slice(MULTI, frontend.ranges.ingressStatus), 'all');
    assert.notDeepEqual(frontend.ranges.ingressStatus, frontend.ranges.ingress);
    assert.equal(slice(MULTI, backend.ranges.name), 'shop-backend');
    assert.ok(slice(MULTI, frontend.ranges.document)!.startsWith('---\napiVersion: serving.knative.dev/v1\nkind: Service\n'));
    assert.ok(slice(MULTI, frontend.ranges.document)!.endsWith('sidecar:2\n'));
    assert.ok(slice(MULTI, backend.ranges.document)!.endsWith('backend@sha256:0123\n'));
    assert.equal(MULTI.slice(frontend.ranges.contents[0]).split('\n')[0], 'apiVersion: serving.knative.dev/v1');
    assert.deepEqual(frontend.manifest.metadata, {
      name: 'shop-frontend',
      namespace: '123456789012',
      labels: { 'cloud.googleapis.com/location': 'europe-west1' },
      annotations: { 'run.googleapis.com/ingress': 'all', 'run.googleapis.com/ingress-status': 'all' },
    });
  });

  it('partitions the text into document ranges without gaps', () => {
    const result = parseKnativeServices(MULTI);
    const [frontend, backend] = result.services;
    const lensLines = result.services.map((s) => offsetToPosition(MULTI, s.ranges.contents[0]).line);
    assert.deepEqual(lensLines, [8, 38]);
    assert.equal(MULTI.split('\n')[8], 'apiVersion: serving.knative.dev/v1');
    assert.ok(frontend.ranges.document[1] <= backend.ranges.document[0]);
    assert.equal(backend.ranges.document[1], MULTI.length);
  });

  it('keeps ranges and values right around comments', () => {
    const text = lines(
      '# leading comment',
      '---',
      '# before apiVersion',
      'apiVersion: serving.knative.dev/v1 # the Knative API',
      'kind: Service',
      'metadata: # the service',
      '  # its name:',
      '  name:   commented # inline',
      '  annotations:',
      '    # hardened once the load balancer serves',
      '    run.googleapis.com/ingress: internal-and-cloud-load-balancing # do not change',
      '# end',
    );
    const service = only(parseKnativeServices(text));
    assert.equal(service.name, 'commented');
    assert.equal(slice(text, service.ranges.name), 'commented');
    assert.equal(service.ingress, 'internal-and-cloud-load-balancing');
    assert.equal(slice(text, service.ranges.ingress), 'internal-and-cloud-load-balancing');
    assert.equal(offsetToPosition(text, service.ranges.name[0]).line, 7);
    assert.equal(slice(text, service.ranges.kind), 'kind: Service');
  });

  it('resolves anchors, aliases and merge keys, with ranges on the alias nodes', () => {
    const text = lines(
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata:',
      '  name: &svc aliased-app',
      '  labels: &common',
      '    cloud.googleapis.com/location: &region us-east1',
      '  annotations:',
      '    <<: {run.googleapis.com/ingress-status: all}',
      '    run.googleapis.com/ingress: &ing internal',
      'spec:',
      '  template:',
      '    metadata:',
      '      name: *svc',
      '      labels: *common',
      '    spec:',
      '      containers:',
      '      - &main {image: "gcr.io/p/app:1"}',
      '---',
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata:',
      '  name: &other second-app',
      '  labels:',
      '    <<: &base {cloud.googleapis.com/location: asia-east1, team: web}',
      '  annotations: {run.googleapis.com/ingress: &i2 all, copy: *i2}',
      'x-base: *other',
      '---',
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'x-name: &n3 third-app',
      'metadata:',
      '  name: *n3',
      '  namespace: my-project',
    );
    const result = parseKnativeServices(text);
    assert.deepEqual(result.errors, []);
    const [first, second, third] = result.services;
    assert.equal(first.name, 'aliased-app');
    assert.equal(first.region, 'us-east1');
    assert.equal(first.ingress, 'internal');
    assert.equal(first.ingressStatus, 'all', 'found through a merge key');
    assert.deepEqual(first.images, ['gcr.io/p/app:1']);
    assert.deepEqual((first.manifest.spec as { template: { metadata: unknown } }).template.metadata, {
      name: 'aliased-app',
      labels: { 'cloud.googleapis.com/location': 'us-east1' },
    });
    assert.equal(second.name, 'second-app');
    assert.equal(second.region, 'asia-east1');
    assert.equal(slice(text, second.ranges.region), 'asia-east1', 'points into the merged mapping');
    assert.equal(second.ingress, 'all');
    assert.deepEqual((second.manifest.metadata as { labels: unknown }).labels, {
      'cloud.googleapis.com/location': 'asia-east1',
      team: 'web',
    });
    assert.equal(third.name, 'third-app');
    assert.equal(slice(text, third.ranges.name), '*n3');
    assert.equal(third.namespace, 'my-project');
  });

  it('reads flow style, including a whole document on one line', () => {
    const text = lines(
      '{apiVersion: serving.knative.dev/v1, kind: Service, metadata: {name: flow-app, labels: {cloud.googleapis.com/location: us-west1}}, spec: {template: {spec: {containers: [{image: "img:1"}]}}}}',
      '---',
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata: {name: "quoted-app", annotations: {run.googleapis.com/ingress: internal}}',
    );
    const result = parseKnativeServices(text);
    assert.deepEqual(result.errors, []);
    const [flow, quoted] = result.services;
    assert.equal(flow.name, 'flow-app');
    assert.equal(slice(text, flow.ranges.name), 'flow-app');
    assert.equal(flow.region, 'us-west1');
    assert.equal(slice(text, flow.ranges.region), 'us-west1');
    assert.deepEqual(flow.images, ['img:1']);
    assert.equal(slice(text, flow.ranges.kind), 'kind: Service');
    assert.equal(quoted.name, 'quoted-app');
    assert.equal(slice(text, quoted.ranges.name), '"quoted-app"', 'the range covers the node as written');
    assert.equal(slice(text, quoted.ranges.ingress), 'internal');
  });

  it('keeps offsets right with CRLF line endings and a byte order mark', () => {
    const cases: Array<[string, string]> = [
      ['CRLF', crlf(SEED)],
      ['BOM', '\uFEFF' + SEED],
      ['BOM and CRLF', '\uFEFF' + crlf(MULTI)],
    ];
    for (const [label, text] of cases) {
      const result = parseKnativeServices(text);
      assert.deepEqual(result.errors, [], label);
      const first = result.services[0];
      assert.ok(first.name === 'my-global-app' || first.name === 'shop-frontend', label);
      assert.equal(slice(text, first.ranges.name), first.name, label);
      assert.equal(slice(text, first.ranges.kind), 'kind: Service', label);
      for (const service of result.services) {
        const start = offsetToPosition(text, service.ranges.name[0]);
        const lineText = text.split(/\r?\n/)[start.line].replace(/^\uFEFF/, '');
        assert.equal(
          lineText.slice(start.character - (start.line === 0 && text.startsWith('\uFEFF') ? 1 : 0)).split(' ')[0],
          service.name,
          label,
        );
      }
    }
    const bom = parseKnativeServices('\uFEFF' + SEED).services[0];
    assert.equal(bom.ranges.document[0], 1, 'the document starts after the byte order mark');
    const crlfFrontend = parseKnativeServices(crlf(MULTI)).services[0];
    assert.equal(offsetToPosition(crlf(MULTI), crlfFrontend.ranges.name[0]).line, 11);
  });

  it('counts UTF-16 code units as VS Code does', () => {
    const text = lines(
      '# 🚀 déploiement — région',
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata: {description: "🚀🚀", name: rocket}',
    );
    const service = only(parseKnativeServices(text));
    assert.equal(slice(text, service.ranges.name), 'rocket');
    assert.deepEqual(offsetToPosition(text, service.ranges.name[0]), {
      line: 3,
      character: 'metadata: {description: "🚀🚀", name: '.length,
    });
    assert.equal('metadata: {description: "🚀🚀", name: '.length, 38, 'each rocket is two code units');
  });

  it('gives the same result again from its cache, with a fresh manifest each time', () => {
    const first = parseKnativeServices(MULTI);
    (first.services[0].manifest.metadata as { name: string }).name = 'changed by a caller';
    const second = parseKnativeServices(MULTI);
    assert.equal((second.services[0].manifest.metadata as { name: string }).name, 'shop-frontend');
    assert.notEqual(second.services[0].manifest, first.services[0].manifest);
    // The same document text at another offset gets that offset's ranges.
    const shifted = parseKnativeServices('# one more line\n' + MULTI.replace(/^# .*\n/, ''));
    assert.deepEqual(
      shifted.services.map((s) => slice('# one more line\n' + MULTI.replace(/^# .*\n/, ''), s.ranges.name)),
      ['shop-frontend', 'shop-backend'],
    );
  });

  it('reads documents after directives and after an end marker', () => {
    const text = lines(
      '%YAML 1.2',
      '---',
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata: {name: with-directive}',
      '...',
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata: {name: after-end-marker}',
      '---',
      'apiVersion: serving.knative.dev/v1',
      'kind: Service',
      'metadata: {name: last}',
    );
    const result = parseKnativeServices(text);
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.services.map((s) => [s.name, s.documentIndex, slice(text, s.ranges.name)]),
      [
        ['with-directive', 0, 'with-directive'],
        ['after-end-marker', 1, 'after-end-marker'],
        ['last', 2, 'last'],
      ],
    );
    const plain = text.replace('%YAML 1.2\n', '');
    assert.deepEqual(
      parseKnativeServices(plain).services.map((s) => [s.name, s.documentIndex, slice(plain, s.ranges.name)]),
      [
        ['with-directive', 0, 'with-directive'],
        ['after-end-marker', 1, 'after-end-marker'],
        ['last', 2, 'last'],
      ],
    );
  });

  describe('problems', () => {
    const problemCases: Array<{ title: string; text: string; code: string; severity: string; at: string; services: string[] }> = [
      {
        title: 'missing metadata.name',
        text: lines('apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '  namespace: default'),
        code: 'missing-name',
        severity: 'error',
        at: 'metadata',
        services: [],
      },
      {
        title: 'empty metadata.name',
        text: lines('apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '  name: ""'),
        code: 'missing-name',
        severity: 'error',
        at: 'name',
        services: [],
      },
      {
        title: 'no metadata at all',
        text: lines('apiVersion: serving.knative.dev/v1', 'kind: Service', 'spec: {}'),
        code: 'missing-name',
        severity: 'error',
        at: 'kind: Service',
        services: [],
      },
      {
        title: 'a name that is not a string',
        text: lines('apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '  name: [a, b]'),
        code: 'invalid-value',
        severity: 'error',
        at: '[a, b]',
        services: [],
      },
      {
        // Cloud Run's YAML API takes v1 only; an older Knative version is reported and not offered a lens.
        title: 'an older Knative apiVersion',
        text: lines('apiVersion: serving.knative.dev/v1alpha1', 'kind: Service', 'metadata:', '  name: old-app'),
        code: 'unsupported-api-version',
        severity: 'warning',
        at: 'serving.knative.dev/v1alpha1',
        services: [],
      },
      {
        title: 'an unknown ingress value',
        text: lines(
          'apiVersion: serving.knative.dev/v1',
          'kind: Service',
          'metadata:',
          '  name: app',
          '  annotations:',
          '    run.googleapis.com/ingress: everyone',
        ),
        code: 'unknown-ingress',
        severity: 'error',
        at: 'everyone',
        services: ['app'],
      },
      {
        title: 'a namespace that is a mapping',
        text: lines('apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '  name: app', '  namespace: {project: x}'),
        code: 'invalid-value',
        severity: 'error',
        at: '{project: x}',
        services: ['app'],
      },
      {
        title: 'an unknown tag',
        text: lines('apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '  name: app', '  namespace: !Ref project'),
        code: 'yaml-warning',
        severity: 'warning',
        at: '!Ref',
        services: ['app'],
      },
    ];
    for (const testCase of problemCases) {
      it(`reports ${testCase.title}`, () => {
        const result = parseKnativeServices(testCase.text);
        assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
        const [error] = result.errors;
        assert.equal(error.code, testCase.code);
        assert.equal(error.severity, testCase.severity);
        assert.equal(error.documentIndex, 0);
        assert.equal(slice(testCase.text, error.range), testCase.at);
        assert.ok(error.message.length > 10 && !error.message.includes('\n'), error.message);
        assert.deepEqual(
          result.services.map((s) => s.name),
          testCase.services,
        );
      });
    }

    it('names the wrong version and the one Cloud Run takes', () => {
      const [error] = parseKnativeServices(problemCases[4].text).errors;
      assert.equal(
        error.message,
        'Cloud Run accepts apiVersion serving.knative.dev/v1, not serving.knative.dev/v1alpha1; this Service is ignored.',
      );
    });

    it('ignores documents that are not Knative Services, silently', () => {
      const texts = [
        '',
        '# only a comment\n',
        '---\n---\n',
        'just a string\n',
        '- a\n- b\n',
        lines('apiVersion: v1', 'kind: Service', 'metadata: {name: core}'),
        lines('kind: Service', 'metadata: {name: no-api-version}'),
        lines('apiVersion: serving.knative.dev/v1', 'kind: Route', 'metadata: {name: route}'),
        lines('apiVersion: serving.knative.dev/v1', 'kind: [Service]', 'metadata: {name: odd}'),
      ];
      for (const text of texts)
        assert.deepEqual(
          parseKnativeServices(text),
          { services: [], errors: [], documentCount: parseKnativeServices(text).documentCount },
          text,
        );
    });
  });

  describe('malformed YAML', () => {
    // `at`: the source where the first error starts (the opening quote or bracket for an unclosed one).
    const cases: Array<{ title: string; broken: string[]; line: number; at: string }> = [
      {
        title: 'an unclosed flow sequence',
        broken: ['apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '  name: broken', '  labels: [a'],
        line: 4,
        at: '[a',
      },
      {
        title: 'an unclosed flow mapping',
        broken: ['apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata: {name: broken', 'spec: {}'],
        line: 3,
        at: 'spec',
      },
      {
        title: 'a key indented too far',
        broken: ['apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '  name: broken', '    namespace: x', '  labels: {}'],
        line: 3,
        at: 'broken',
      },
      {
        title: 'a duplicate key',
        broken: ['apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '  name: broken', '  name: twice'],
        line: 4,
        at: 'name: twice',
      },
      {
        title: 'an unterminated double-quoted string',
        broken: ['apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '  name: "broken'],
        line: 3,
        at: '"broken',
      },
      {
        title: 'an unterminated single-quoted string',
        broken: ['apiVersion: serving.knative.dev/v1', 'kind: Service', "metadata: {name: 'broken}"],
        line: 2,
        at: "'broken",
      },
      {
        title: 'a tab used for indentation',
        broken: ['apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '\tname: broken'],
        line: 3,
        at: '\tname',
      },
    ];
    for (const testCase of cases) {
      it(`reports ${testCase.title} with its position and still finds the other services`, () => {
        const before = lines('apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata: {name: before}');
        const after = lines('apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata: {name: after}');
        const text = `${before}---\n${lines(...testCase.broken)}---\n${after}`;
        const result = parseKnativeServices(text);
        assert.deepEqual(
          result.services.map((s) => [s.name, s.documentIndex]),
          [
            ['before', 0],
            ['after', 2],
          ],
        );
        const errors = result.errors.filter((e) => e.severity === 'error');
        assert.ok(errors.length >= 1, JSON.stringify(result.errors));
        for (const error of errors) {
          assert.equal(error.code, 'yaml-syntax');
          assert.equal(error.documentIndex, 1);
          assert.ok(!error.message.includes('\n') && error.message.length > 5, error.message);
        }
        const firstLine = offsetToPosition(text, errors[0].range[0]).line;
        const brokenStart = before.split('\n').length; // the broken document's first line, after '---'
        assert.equal(firstLine, brokenStart + testCase.line, `${errors[0].message} at line ${firstLine}`);
        assert.equal(text.slice(errors[0].range[0], errors[0].range[0] + testCase.at.length), testCase.at, errors[0].message);
        assertRangesInside(text, result);
      });
    }

    it('never throws, whatever prefix of a file it is given', () => {
      const text = MULTI + crlf(SEED).replace('metadata:', 'metadata: &m') + '---\nx: *m\n';
      for (let end = 0; end <= text.length; end++) {
        const prefix = text.slice(0, end);
        const result = parseKnativeServices(prefix);
        assertRangesInside(prefix, result);
        for (const service of result.services) assert.equal(slice(prefix, service.ranges.name), service.name);
      }
    });

    it('refuses an alias bomb without hanging or throwing', () => {
      const bomb = [
        'apiVersion: serving.knative.dev/v1',
        'kind: Service',
        'metadata: {name: bomb}',
        'a: &a [x, x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
        'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
      ].join('\n');
      const started = Date.now();
      const result = parseKnativeServices(bomb);
      assert.ok(Date.now() - started < 1000);
      assert.deepEqual(result.services, []);
      assert.equal(result.errors.length, 1);
      assert.equal(slice(bomb, result.errors[0].range), 'kind: Service');
    });
  });
});

describe('knative: LineIndex', () => {
  const cases: Array<{ title: string; text: string; offsets: Array<[number, number, number]> }> = [
    {
      title: 'LF',
      text: 'ab\ncd\n',
      offsets: [
        [0, 0, 0],
        [2, 0, 2],
        [3, 1, 0],
        [5, 1, 2],
        [6, 2, 0],
      ],
    },
    {
      title: 'CRLF',
      text: 'ab\r\ncd\r\n',
      offsets: [
        [0, 0, 0],
        [2, 0, 2],
        [3, 0, 2],
        [4, 1, 0],
        [6, 1, 2],
        [7, 1, 2],
        [8, 2, 0],
      ],
    },
    {
      title: 'lone CR',
      text: 'ab\rcd',
      offsets: [
        [2, 0, 2],
        [3, 1, 0],
        [5, 1, 2],
      ],
    },
    {
      title: 'mixed',
      text: 'a\r\nb\nc\rd',
      offsets: [
        [3, 1, 0],
        [5, 2, 0],
        [7, 3, 0],
        [8, 3, 1],
      ],
    },
    {
      title: 'surrogate pairs',
      text: '🚀x\n🚀🚀y',
      offsets: [
        [2, 0, 2],
        [3, 0, 3],
        [4, 1, 0],
        [8, 1, 4],
        [9, 1, 5],
      ],
    },
    { title: 'empty', text: '', offsets: [[0, 0, 0]] },
  ];
  for (const { title, text, offsets } of cases) {
    it(`maps offsets and positions both ways (${title})`, () => {
      const index = new LineIndex(text);
      for (const [offset, line, character] of offsets) {
        assert.deepEqual(index.positionAt(offset), { line, character }, `offset ${offset}`);
        assert.deepEqual(offsetToPosition(text, offset), { line, character }, `offset ${offset}`);
        const inLineBreak = text[offset - 1] === '\r' && text[offset] === '\n';
        if (!inLineBreak) assert.equal(index.offsetAt({ line, character }), offset, `position ${line}:${character}`);
      }
    });
  }

  it('counts lines and finds their ends without the line break', () => {
    const index = new LineIndex('ab\r\ncd\nlast');
    assert.equal(index.lineCount, 3);
    assert.deepEqual(
      [0, 1, 2].map((l) => [index.lineStart(l), index.lineEnd(l)]),
      [
        [0, 2],
        [4, 6],
        [7, 11],
      ],
    );
    assert.equal(new LineIndex('x\n').lineCount, 2);
  });

  it('clamps out-of-range input as VS Code does', () => {
    const text = 'ab\r\ncd';
    const index = new LineIndex(text);
    assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(99), { line: 1, character: 2 });
    assert.equal(index.offsetAt({ line: 0, character: 99 }), 2, 'not into the line break');
    assert.equal(index.offsetAt({ line: -1, character: 3 }), 0);
    assert.equal(index.offsetAt({ line: 9, character: 0 }), text.length);
    assert.equal(positionToOffset(text, { line: 1, character: 1 }), 5);
  });
});

describe('knative: setIngressEdit', () => {
  /** Applies the edit and checks what must hold for every quick fix; returns the new text. */
  function applyIngress(text: string, value: string, serviceName?: string): { edit: TextEdit; result: string } {
    const parsed = parseKnativeServices(text);
    const service = serviceName ? parsed.services.find((s) => s.name === serviceName)! : only(parsed);
    const edit = setIngressEdit(text, service, value);
    assert.ok(edit, 'an edit is offered');
    const result = applyTextEdits(text, [edit]);
    const reparsed = parseKnativeServices(result);
    assert.deepEqual(reparsed.errors, [], `valid YAML after the edit:\n${result}`);
    const updated = reparsed.services.find((s) => s.name === service.name)!;
    assert.equal(updated.ingress, value);
    assert.equal(slice(result, updated.ranges.ingress)!.replace(/["']/g, ''), value);
    // Everything but the annotation is unchanged, in this document and the others.
    const withoutIngress = (manifest: Record<string, unknown>) => {
      const copy = structuredClone(manifest) as { metadata: { annotations?: Record<string, unknown> } };
      delete copy.metadata.annotations?.['run.googleapis.com/ingress'];
      if (!copy.metadata.annotations || Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
      return copy;
    };
    assert.deepEqual(
      reparsed.services.map((s) => withoutIngress(s.manifest)),
      parsed.services.map((s) => withoutIngress(s.manifest)),
    );
    assert.equal(result.slice(0, edit.start), text.slice(0, edit.start));
    assert.equal(result.slice(edit.start + edit.newText.length), text.slice(edit.end));
    if (text.includes('\r\n')) assert.ok(!/[^\r]\n/.test(result), 'no bare LF in a CRLF file');
    else assert.ok(!result.includes('\r'), 'no CR in an LF file');
    return { edit, result };
  }

  const head = ['apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '  name: app'];
  const tail = ['spec:', '  template:', '    spec:', '      containers:', '      - image: img'];
  const shapes: Array<{ title: string; before: string[]; after: string[]; value?: string; replaced?: string }> = [
    {
      title: 'replaces a plain value',
      before: [...head, '  annotations:', '    run.googleapis.com/ingress: all # public for now', ...tail],
      after: [...head, '  annotations:', '    run.googleapis.com/ingress: internal-and-cloud-load-balancing # public for now', ...tail],
      replaced: 'all',
    },
    {
      title: 'keeps double quotes',
      before: [...head, '  annotations:', '    run.googleapis.com/ingress: "all"', ...tail],
      after: [...head, '  annotations:', '    run.googleapis.com/ingress: "internal-and-cloud-load-balancing"', ...tail],
      replaced: '"all"',
    },
    {
      title: 'keeps single quotes',
      before: [...head, "  annotations: {run.googleapis.com/ingress: 'internal'}", ...tail],
      after: [...head, "  annotations: {run.googleapis.com/ingress: 'internal-and-cloud-load-balancing'}", ...tail],
      replaced: "'internal'",
    },
    {
      title: 'replaces an alias node, not its anchor',
      before: ['x-default: &ingress all', ...head, '  annotations:', '    run.googleapis.com/ingress: *ingress', ...tail],
      after: [
        'x-default: &ingress all',
        ...head,
        '  annotations:',
        '    run.googleapis.com/ingress: internal-and-cloud-load-balancing',
        ...tail,
      ],
      replaced: '*ingress',
    },
    {
      title: 'fills an empty value',
      before: [...head, '  annotations:', '    run.googleapis.com/ingress:', '    other: x', ...tail],
      after: [...head, '  annotations:', '    run.googleapis.com/ingress: internal-and-cloud-load-balancing', '    other: x', ...tail],
    },
    {
      title: 'adds to block annotations after the last one, at their indentation',
      before: [...head, '  annotations:', '    a.example.com/one: "1"', '    a.example.com/two: x # keep', ...tail],
      after: [
        ...head,
        '  annotations:',
        '    a.example.com/one: "1"',
        '    a.example.com/two: x # keep',
        '    run.googleapis.com/ingress: internal-and-cloud-load-balancing',
        ...tail,
      ],
    },
    {
      title: 'adds after a multi-line block scalar annotation',
      before: [...head, '  annotations:', '    note: |', '      line one', '      line two', '  labels: {team: web}', ...tail],
      after: [
        ...head,
        '  annotations:',
        '    note: |',
        '      line one',
        '      line two',
        '    run.googleapis.com/ingress: internal-and-cloud-load-balancing',
        '  labels: {team: web}',
        ...tail,
      ],
    },
    {
      title: 'follows a four-space indentation',
      before: ['apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata:', '    name: app', '    annotations:', '        a: b'],
      after: [
        'apiVersion: serving.knative.dev/v1',
        'kind: Service',
        'metadata:',
        '    name: app',
        '    annotations:',
        '        a: b',
        '        run.googleapis.com/ingress: internal-and-cloud-load-balancing',
      ],
    },
    {
      title: 'adds to flow annotations',
      before: [...head, '  annotations: { a: b }', ...tail],
      after: [...head, '  annotations: { run.googleapis.com/ingress: internal-and-cloud-load-balancing, a: b }', ...tail],
    },
    {
      title: 'adds to empty flow annotations',
      before: [...head, '  annotations: {}', ...tail],
      after: [...head, '  annotations: {run.googleapis.com/ingress: internal-and-cloud-load-balancing}', ...tail],
    },
    {
      title: 'fills an empty annotations key, keeping its comment on its line',
      before: [...head, '  annotations: # none yet', ...tail],
      after: [...head, '  annotations: # none yet', '    run.googleapis.com/ingress: internal-and-cloud-load-balancing', ...tail],
    },
    {
      title: 'replaces an explicit null annotations value',
      before: [...head, '  annotations: ~', ...tail],
      after: [...head, '  annotations: {run.googleapis.com/ingress: internal-and-cloud-load-balancing}', ...tail],
      replaced: '~',
    },
    {
      title: 'adds an annotations block after the last metadata entry',
      before: [...head, '  labels:', '    cloud.googleapis.com/location: us-central1 # home', '', '# the workload', ...tail],
      after: [
        ...head,
        '  labels:',
        '    cloud.googleapis.com/location: us-central1 # home',
        '  annotations:',
        '    run.googleapis.com/ingress: internal-and-cloud-load-balancing',
        '',
        '# the workload',
        ...tail,
      ],
    },
    {
      title: 'adds annotations to flow metadata',
      before: ['apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata: {name: app, namespace: p}', ...tail],
      after: [
        'apiVersion: serving.knative.dev/v1',
        'kind: Service',
        'metadata: {annotations: {run.googleapis.com/ingress: internal-and-cloud-load-balancing}, name: app, namespace: p}',
        ...tail,
      ],
    },
    {
      title: 'adds to an annotations mapping that merges shared ones, overriding them',
      before: ['x-shared: &shared {run.googleapis.com/ingress: all}', ...head, '  annotations:', '    <<: *shared', ...tail],
      after: [
        'x-shared: &shared {run.googleapis.com/ingress: all}',
        ...head,
        '  annotations:',
        '    <<: *shared',
        '    run.googleapis.com/ingress: internal-and-cloud-load-balancing',
        ...tail,
      ],
    },
  ];
  for (const shape of shapes) {
    for (const lineEnding of ['LF', 'CRLF'] as const) {
      it(`${shape.title} (${lineEnding})`, () => {
        const convert = lineEnding === 'CRLF' ? crlf : (t: string) => t;
        const before = convert(lines(...shape.before));
        const { edit, result } = applyIngress(before, shape.value ?? 'internal-and-cloud-load-balancing');
        assert.equal(result, convert(lines(...shape.after)));
        if (shape.replaced) assert.equal(before.slice(edit.start, edit.end), shape.replaced);
        else assert.equal(edit.start, edit.end, 'a pure insertion');
      });
    }
  }

  it('handles a file that ends without a line break', () => {
    const text = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: app';
    const { result } = applyIngress(text, 'internal');
    assert.equal(
      result,
      'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: app\n  annotations:\n    run.googleapis.com/ingress: internal',
    );
  });

  it('edits the right service of a multi-document file and leaves the others byte for byte', () => {
    const text = crlf(MULTI);
    const { result } = applyIngress(text, 'internal', 'shop-backend');
    const backendStart = text.indexOf('  name: shop-backend');
    assert.equal(result.slice(0, backendStart), text.slice(0, backendStart));
    assert.ok(
      result.endsWith(
        '  namespace: 123456789012\r\n  annotations:\r\n    run.googleapis.com/ingress: internal\r\nspec:\r\n  template:\r\n    spec:\r\n      containers:\r\n      - image: europe-docker.pkg.dev/shop/api/backend@sha256:0123\r\n',
      ),
    );
    const { result: frontendResult } = applyIngress(text, 'internal', 'shop-frontend');
    assert.equal(frontendResult, text.replace('ingress: all', 'ingress: internal'));
  });

  it('quotes a value that would not read back as the same string', () => {
    const text = lines(...head, '  annotations: {run.googleapis.com/ingress: all}');
    const edit = setIngressEdit(text, only(parseKnativeServices(text)), 'true')!;
    assert.equal(edit.newText, '"true"');
  });

  it('offers no edit where it would change shared text or the service is gone', () => {
    const sharedAnnotations = lines('x: &a {team: web}', ...head, '  annotations: *a');
    const sharedMetadata = lines('x: &m {name: app, namespace: p}', 'apiVersion: serving.knative.dev/v1', 'kind: Service', 'metadata: *m');
    const annotationsList = lines(...head, '  annotations: [a, b]');
    for (const text of [sharedAnnotations, sharedMetadata, annotationsList]) {
      const service = only(parseKnativeServices(text));
      assert.equal(setIngressEdit(text, service, 'internal'), undefined, text);
    }
    const service = only(parseKnativeServices(SEED));
    assert.equal(setIngressEdit(SEED.replace('my-global-app', 'renamed'), service, 'internal'), undefined);
    assert.equal(setIngressEdit('a: [', service, 'internal'), undefined);
  });

  it('finds the service when documents above it were added since the parse', () => {
    const service = only(parseKnativeServices(SEED));
    const moved = lines('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c}') + '---\n' + SEED;
    const edit = setIngressEdit(moved, service, 'internal')!;
    assert.equal(parseKnativeServices(applyTextEdits(moved, [edit])).services[0].ingress, 'internal');
  });

  it('applies several non-overlapping edits and refuses overlapping ones', () => {
    assert.equal(
      applyTextEdits('abcdef', [
        { start: 4, end: 5, newText: 'E' },
        { start: 0, end: 1, newText: 'AA' },
        { start: 2, end: 2, newText: '+' },
      ]),
      'AAb+cdEf',
    );
    assert.throws(
      () =>
        applyTextEdits('abcdef', [
          { start: 0, end: 3, newText: '' },
          { start: 2, end: 4, newText: '' },
        ]),
      RangeError,
    );
  });
});
