/**
 * The ProductionChecks Aspect: failing synth, annotations, suppressions, the
 * report file next to cdk.tf.json, and the Testing entry points.
 */
import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as path from 'path';
import { AnnotationMetadataEntryType, App, Aspects, Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { RegistryImage } from '@cdktf/provider-docker/lib/registry-image';
import { ValidationError } from '../lib/errors';
import { PRODUCTION_REVIEW_FILE, ProductionChecks } from '../lib/production-checks';
import { ReviewReport } from '../lib/review/model';
import { annotations, hardened, runCli, tempDir } from './fixtures/review/helpers';

function stackWith(build: (stack: TerraformStack) => void, app: App = Testing.app()): TerraformStack {
  const stack = new TerraformStack(app, 'stack');
  new DockerProvider(stack, 'docker', {});
  build(stack);
  return stack;
}

function synthError(stack: TerraformStack): string {
  try {
    Testing.synth(stack, true);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('errors and warnings', () => {
  test('an error fails synth naming the rule, the address, the construct path and how to suppress', () => {
    const stack = stackWith((s) => {
      new Container(s, 'web', hardened({ name: 'web', privileged: true }));
    });
    Aspects.of(stack).add(new ProductionChecks());
    const message = synthError(stack);
    expect(message).toContain('[stack/web] privileged-container (docker_container.web): privileged = true');
    expect(message).toContain('CIS Docker Benchmark v1.6.0 5.4');
    expect(message).toContain("ProductionChecks.suppress(<the construct at stack/web or a scope above it>, 'privileged-container', '<why this is acceptable>')");
  });

  test('warnings become warning annotations on the resource; synth passes', () => {
    const stack = stackWith((s) => {
      new Container(s, 'web', hardened({ name: 'web', memory: undefined }));
    });
    Aspects.of(stack).add(new ProductionChecks());
    expect(synthError(stack)).toBe('');
    expect(annotations(stack, AnnotationMetadataEntryType.WARN)).toEqual([
      'stack/web: [no-memory-limit] docker_container.web: memory is not set; set a limit in MiB (CIS Docker Benchmark v1.6.0 5.10)',
    ]);
  });

  test('synthesizing twice does not duplicate annotations', () => {
    const stack = stackWith((s) => {
      new Container(s, 'web', hardened({ name: 'web', memory: undefined }));
    });
    Aspects.of(stack).add(new ProductionChecks());
    Testing.synth(stack, true);
    Testing.synth(stack, true);
    expect(annotations(stack, AnnotationMetadataEntryType.WARN)).toHaveLength(1);
  });

  test('the review sees mutations made after the Aspect was added (it runs after all Aspects)', () => {
    const stack = stackWith(() => undefined);
    Aspects.of(stack).add(new ProductionChecks());
    const web = new Container(stack, 'web', hardened({ name: 'web' }));
    web.privileged = true;
    expect(synthError(stack)).toContain('privileged-container (docker_container.web)');
  });

  test('an Aspect on a sub-construct reviews only that subtree', () => {
    let inside: Container | undefined;
    const stack = stackWith((s) => {
      new Container(s, 'outside', hardened({ name: 'outside', privileged: true }));
      const team = new Construct(s, 'team');
      inside = new Container(team, 'inside', hardened({ name: 'inside', memory: undefined }));
    });
    const checks = new ProductionChecks();
    Aspects.of(stack.node.findChild('team')).add(checks);
    expect(synthError(stack)).toBe('');
    expect(checks.reviewOf(stack).findings.map((f) => `${f.rule} ${f.resource} ${f.constructPath}`)).toEqual([
      `no-memory-limit docker_container.${(inside as Container).friendlyUniqueId} stack/team/inside`,
    ]);
  });
});

describe('Testing entry points', () => {
  test('Testing.synth without validations does not throw or write anything; reviewOf gives the findings', () => {
    const stack = stackWith((s) => {
      new Container(s, 'web', hardened({ name: 'web', privileged: true }));
    });
    const checks = new ProductionChecks();
    Aspects.of(stack).add(checks);
    expect(() => Testing.synth(stack)).not.toThrow();
    expect(checks.reviewOf(stack).findings.map((f) => f.rule)).toEqual(['privileged-container']);
  });

  test('Testing.synthScope with the Aspect does not crash', () => {
    const checks = new ProductionChecks();
    const json = Testing.synthScope((scope) => {
      new DockerProvider(scope, 'docker', {});
      new Container(scope, 'web', hardened({ name: 'web' }));
      Aspects.of(scope).add(checks);
    });
    expect(json).toHaveResourceWithProperties(Container, { name: 'web', read_only: true });
  });

  test('reviewOf before any synthesis reviews every docker resource of the stack', () => {
    const stack = stackWith((s) => {
      new RegistryImage(s, 'push', { name: 'localhost:5000/team/api:1.0.0' });
    });
    const review = new ProductionChecks().reviewOf(stack);
    expect(review.name).toBe('stack');
    expect(review.findings.map((f) => `${f.rule} ${f.resource}`)).toEqual(['push-deletes-remote-tag docker_registry_image.push']);
  });
});

describe('the report file', () => {
  test('app.synth writes production-review.json next to cdk.tf.json, equal to the review command\'s JSON', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    const stack = stackWith((s) => {
      new Container(s, 'web', hardened({ name: 'web', ports: [{ internal: 80, external: 8080 }] }));
      new RegistryImage(s, 'push', { name: 'localhost:5000/team/api:1.0.0' });
    }, app);
    Aspects.of(stack).add(new ProductionChecks());
    app.synth();

    const stackDir = path.join(outdir, 'stacks', 'stack');
    expect(fs.existsSync(path.join(stackDir, 'cdk.tf.json'))).toBe(true);
    const report = JSON.parse(fs.readFileSync(path.join(stackDir, PRODUCTION_REVIEW_FILE), 'utf8')) as ReviewReport;
    expect(report.stacks[0].findings.map((f) => `${f.rule} ${f.resource}`)).toEqual([
      'port-published-on-all-interfaces docker_container.web',
      'push-deletes-remote-tag docker_registry_image.push',
    ]);
    const cli = runCli([outdir, '--format', 'json']);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(report);
  });

  test('with skipValidation, errors still fail synth (error annotations) and the report lists them', () => {
    const outdir = tempDir();
    const app = new App({ outdir, skipValidation: true });
    const stack = stackWith((s) => {
      new Container(s, 'web', hardened({ name: 'web', image: 'nginx:latest' }));
    }, app);
    Aspects.of(stack).add(new ProductionChecks());
    expect(() => app.synth()).toThrow(/Encountered Annotations with level "ERROR":\n\[stack\/web\] image-not-pinned \(docker_container\.web\)/);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'stack', PRODUCTION_REVIEW_FILE), 'utf8')) as ReviewReport;
    expect(report.stacks[0].findings).toEqual([expect.objectContaining({ rule: 'image-not-pinned', severity: 'error', suppressed: false })]);
  });

  test('reportFile: false writes no report', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    const stack = stackWith((s) => {
      new Container(s, 'web', hardened({ name: 'web' }));
    }, app);
    Aspects.of(stack).add(new ProductionChecks({ reportFile: false }));
    app.synth();
    expect(fs.existsSync(path.join(outdir, 'stacks', 'stack', 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(outdir, 'stacks', 'stack', PRODUCTION_REVIEW_FILE))).toBe(false);
  });

  test('Testing.fullSynth writes the report into its output folder', () => {
    const stack = stackWith((s) => {
      new Container(s, 'web', hardened({ name: 'web' }));
    });
    Aspects.of(stack).add(new ProductionChecks());
    const outdir = Testing.fullSynth(stack);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'stack', PRODUCTION_REVIEW_FILE), 'utf8')) as ReviewReport;
    expect(report.stacks[0]).toEqual(expect.objectContaining({ name: 'stack', findings: [] }));
    expect(report.stacks[0].services.map((s) => s.name)).toEqual(['web']);
  });
});

describe('ProductionChecks.suppress', () => {
  const REASON = 'node-exporter reads host metrics from /proc, read-only';

  test('a reasoned suppression: no error, reported as suppressed, written into the JSON, honoured by the command', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    let exporter: Container | undefined;
    const stack = stackWith((s) => {
      exporter = new Container(s, 'exporter', hardened({ name: 'exporter', mounts: [{ type: 'bind', source: '/proc', target: '/host/proc', readOnly: true }] }));
    }, app);
    ProductionChecks.suppress(exporter as Container, 'sensitive-host-path', REASON);
    const checks = new ProductionChecks();
    Aspects.of(stack).add(checks);
    app.synth();

    expect(checks.reviewOf(stack).findings).toEqual([expect.objectContaining({ rule: 'sensitive-host-path', severity: 'error', suppressed: true, suppressionReason: REASON })]);
    expect(annotations(stack, AnnotationMetadataEntryType.INFO)).toEqual([expect.stringContaining(`stack/exporter: [sensitive-host-path] suppressed on docker_container.exporter`)]);
    const synthesized = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8'));
    expect(synthesized.resource.docker_container.exporter['//'].production_checks).toEqual({ suppressions: [{ rule: 'sensitive-host-path', reason: REASON }] });
    const cli = runCli([outdir, '--format', 'json']);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout).stacks[0].findings).toEqual([expect.objectContaining({ rule: 'sensitive-host-path', suppressed: true, suppressionReason: REASON })]);
  });

  test('on a scope it applies to every docker resource below, including ones added later; other rules still fire', () => {
    const stack = stackWith(() => undefined);
    const legacy = new Construct(stack, 'legacy');
    ProductionChecks.suppress(legacy, 'privileged-container', 'vendor appliance, isolated on its own host');
    new Container(legacy, 'a', hardened({ name: 'a', privileged: true }));
    const nested = new Construct(legacy, 'nested');
    new Container(nested, 'b', hardened({ name: 'b', privileged: true, memory: undefined }));
    const checks = new ProductionChecks();
    Aspects.of(stack).add(checks);
    expect(synthError(stack)).toBe('');
    expect(checks.reviewOf(stack).findings.map((f) => `${f.rule} ${f.suppressed}`).sort()).toEqual([
      'no-memory-limit false', 'privileged-container true', 'privileged-container true',
    ]);
  });

  test('on the provider (registry credentials)', () => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    const provider = new DockerProvider(stack, 'docker', { registryAuth: [{ address: 'localhost:5000', username: 'ci', password: 'ci-password' }] });
    ProductionChecks.suppress(provider, 'literal-registry-credential', 'throw-away registry of the CI job, no real data');
    const checks = new ProductionChecks();
    Aspects.of(stack).add(checks);
    expect(synthError(stack)).toBe('');
    expect(checks.reviewOf(stack).findings).toEqual([expect.objectContaining({ resource: 'provider.docker', suppressed: true })]);
  });

  test.each([
    ['an empty reason', 'privileged-container', '', /stack\/web: invalid reason "": a reason of at least 10 non-space characters/],
    ['a blank reason', 'privileged-container', '   \n ', /invalid reason "   \\n ": a reason of at least 10/],
    ['"ok"', 'privileged-container', 'ok', /invalid reason "ok"/],
    ['"n/a"', 'privileged-container', 'n/a', /invalid reason "n\/a"/],
    ['a todo', 'privileged-container', 'TODO: decide later', /invalid reason "TODO: decide later"/],
    ['too short', 'privileged-container', 'legacy', /invalid reason "legacy"/],
    ['filler words', 'privileged-container', 'ok ok ok ok ok', /invalid reason "ok ok ok ok ok"/],
    ['an unknown rule', 'privileged', 'vendor appliance, isolated on its own host', /stack\/web: invalid ruleId "privileged": one of the rule ids: image-not-pinned, .*privileged-container/],
  ])('rejects %s', (_name, rule, reason, message) => {
    const stack = stackWith((s) => {
      new Container(s, 'web', hardened({ name: 'web', privileged: true }));
    });
    const web = stack.node.findChild('web');
    expect(() => ProductionChecks.suppress(web, rule, reason)).toThrow(ValidationError);
    expect(() => ProductionChecks.suppress(web, rule, reason)).toThrow(message);
    Aspects.of(stack).add(new ProductionChecks());
    expect(synthError(stack)).toContain('privileged-container (docker_container.web)');
  });
});
