/**
 * What the jsii build adds for other languages (Python, Java, Go): the static members that carry
 * the module-level constants, `Errors` (the error checks usable without `instanceof`),
 * `PortMapping.onAllInterfaces` (`public` is a reserved word in Java) and
 * `ProductionChecks.findingsOf` (`reviewOf` is TypeScript only). lang/ tests them from each language.
 */
import { TerraformStack, Testing } from 'cdktf';
import {
  BASE_IMAGE_LABEL, CONTEXT_TRIGGER, ContainerImage, DockerHost, Errors, MinimalImage, PortMapping, PRODUCTION_CHECKS_KEY,
  PRODUCTION_REVIEW_FILE, ProductionChecks, Protocol, ServiceContainer, ServiceNetwork, SUPERVISOR_LABEL, ValidationError,
} from '../lib';

function stack(id = 's'): TerraformStack {
  const s = new TerraformStack(Testing.app(), id);
  new DockerHost(s, 'host');
  return s;
}

/** The error `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('nothing was thrown');
}

describe('static members for the module-level constants', () => {
  test.each([
    ['ProductionChecks.REVIEW_FILE', ProductionChecks.REVIEW_FILE, PRODUCTION_REVIEW_FILE, 'production-review.json'],
    ['ProductionChecks.METADATA_KEY', ProductionChecks.METADATA_KEY, PRODUCTION_CHECKS_KEY, 'production_checks'],
    ['MinimalImage.BASE_IMAGE_LABEL', MinimalImage.BASE_IMAGE_LABEL, BASE_IMAGE_LABEL, 'org.opencontainers.image.base.name'],
    ['MinimalImage.CONTEXT_TRIGGER', MinimalImage.CONTEXT_TRIGGER, CONTEXT_TRIGGER, 'context_sha256'],
    ['ServiceContainer.SUPERVISOR_LABEL', ServiceContainer.SUPERVISOR_LABEL, SUPERVISOR_LABEL, 'cdktf-docker-production/supervisor'],
  ])('%s is the constant', (_name, member, constant, value) => {
    expect(member).toBe(constant);
    expect(member).toBe(value);
  });
});

describe('Errors', () => {
  test('isValidationError: the library\'s errors, also of another copy of the package (the brand), nothing else', () => {
    const e = thrown(() => new ServiceContainer(stack(), 'svc', { image: ContainerImage.fromRegistry('redis:7.4-alpine'), memoryMiB: 2 }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(Errors.isValidationError(e)).toBe(true);
    expect(Errors.isValidationError(new ValidationError('p', 'x', 1, 'y'))).toBe(true);
    const otherCopy = Object.assign(new Error('p: invalid x 1: y'), { [Symbol.for('cdktf-docker-production.ValidationError')]: true });
    expect(Errors.isValidationError(otherCopy)).toBe(true);
    for (const other of [new Error('p: invalid x 1: y'), new TypeError('t'), { message: 'p: invalid x 1: y' }, 'text', null, undefined, 0]) {
      expect(Errors.isValidationError(other)).toBe(false);
    }
  });

  test('validationDetails finds the error in a message as other languages carry it, and only the library\'s', () => {
    const e = thrown(() => new ServiceContainer(stack('shop'), 'cache', { image: ContainerImage.fromRegistry('redis:7.4-alpine'), memoryMiB: 2 })) as ValidationError;
    const expected = { constructPath: 'shop/cache', prop: 'memoryMiB', allowed: e.allowed, message: e.message };
    expect(e.constructPath).toBe('shop/cache');
    expect(Errors.validationDetails(e.message)).toEqual(expected);
    // Java: the message, then the JavaScript stack; Python: the message as is.
    expect(Errors.validationDetails(`${e.message}\nValidationError: ${e.message}\n    at fail (dist/_validate.js:38:11)`)).toEqual(expected);
    expect(Errors.validationDetails(`Error: ${e.message}`)).toEqual(expected);
    expect(Errors.validationDetails('shop/cache: invalid memoryMiB 2: something else')).toBeUndefined();
    expect(Errors.validationDetails('')).toBeUndefined();
    expect(Errors.validationDetails(5 as unknown as string)).toBeUndefined();
  });

  test('validationDetails remembers the latest 64 errors only', () => {
    const first = new ValidationError('old/path', 'prop', 1, 'the first of many');
    expect(Errors.validationDetails(first.message)?.constructPath).toBe('old/path');
    for (let i = 0; i < 64; i++) new ValidationError(`p${i}`, 'prop', i, 'later ones');
    expect(Errors.validationDetails(first.message)).toBeUndefined();
    expect(Errors.validationDetails(new ValidationError('new/path', 'prop', 2, 'the newest').message)?.constructPath).toBe('new/path');
  });
});

test('PortMapping.onAllInterfaces is PortMapping.public under a name Java and C# can use', () => {
  for (const protocol of [undefined, Protocol.UDP]) {
    const a = PortMapping.public(8080, 80, protocol);
    const b = PortMapping.onAllInterfaces(8080, 80, protocol);
    expect({ ...b }).toEqual({ ...a });
    expect(b.hostIp).toBe('0.0.0.0');
  }
});

test('ProductionChecks.findingsOf is the findings of reviewOf', () => {
  const s = stack();
  const net = new ServiceNetwork(s, 'front');
  new ServiceContainer(s, 'web', { image: ContainerImage.fromRegistry('nginx:1.27-alpine'), networks: [net], ports: [PortMapping.public(8080, 80)] });
  const checks = new ProductionChecks();
  const findings = checks.findingsOf(s);
  expect(findings).toEqual(checks.reviewOf(s).findings);
  expect(findings.map((f) => f.rule)).toContain('port-published-on-all-interfaces');
});
