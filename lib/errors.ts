import { clip, jsonText } from './_text';

/** The brand every `ValidationError` carries: `Errors.isValidationError` works across copies of the package. */
const VALIDATION_ERROR = Symbol.for('cdktf-docker-production.ValidationError');

/** How many recent messages `Errors.validationDetails` can look up. */
const RECENT_LIMIT = 64;
/** The details of the latest `ValidationError`s, by message (insertion order = age). */
const recent = new Map<string, ValidationErrorDetails>();

/**
 * The one error type the library throws for bad input.
 *
 * Every message names the construct path, the prop, the bad value and what
 * is allowed, so a user can fix the call without reading the library.
 *
 * TypeScript and JavaScript only: jsii cannot model a class that extends
 * `Error`. Other languages get the message in their runtime's exception (see
 * `Errors`).
 *
 * @jsii ignore
 */
export class ValidationError extends Error {
  /** Path of the construct (or factory) that rejected the value. */
  public readonly constructPath: string;
  /** The prop, option or argument that was rejected. */
  public readonly prop: string;
  /** What the prop accepts. */
  public readonly allowed: string;
  /**
   * Every problem this error reports: itself alone, or, for an error that combines several
   * (`ValidationError.combine`, e.g. a synth that found three), each of them; the fields above
   * are then the first problem's.
   */
  public get problems(): readonly ValidationError[] {
    return this.combined ?? [this];
  }

  private combined?: readonly ValidationError[];

  /** One error for several problems, found together (at least two): its message lists each on a line of its own. */
  public static combine(where: string, problems: readonly ValidationError[]): ValidationError {
    const [first] = problems;
    const combined = new ValidationError(first.constructPath, first.prop, undefined, first.allowed);
    const message = `${problems.length} problems in ${where}:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`;
    combined.message = message;
    const frames = (combined.stack ?? '').split('\n').filter((line) => line.startsWith('    at '));
    combined.stack = [`${combined.name}: ${message}`, ...frames].join('\n');
    combined.combined = [...problems];
    remember(combined);
    return combined;
  }

  constructor(constructPath: string, prop: string, value: unknown, allowed: string) {
    super(`${constructPath}: invalid ${prop} ${describe(value)}: ${allowed}`);
    this.name = 'ValidationError';
    this.constructPath = constructPath;
    this.prop = prop;
    this.allowed = allowed;
    Object.setPrototypeOf(this, ValidationError.prototype);
    Object.defineProperty(this, VALIDATION_ERROR, { value: true });
    remember(this);
  }
}

/** What a `ValidationError` names, for code that only has its message (another language's exception). */
export interface ValidationErrorDetails {
  /** Path of the construct (or factory) that rejected the value. */
  readonly constructPath: string;
  /** The prop, option or argument that was rejected. */
  readonly prop: string;
  /** What the prop accepts. */
  readonly allowed: string;
  /** The full message: `<constructPath>: invalid <prop> <value>: <allowed>`. */
  readonly message: string;
}

/**
 * Checks on the errors the library throws, usable from every language.
 *
 * In TypeScript and JavaScript the library throws `ValidationError`
 * (`instanceof` works; `isValidationError` also works across two copies of the
 * package). From Python, Java and Go a call that the library refuses raises the
 * jsii runtime's exception (Python `RuntimeError`, Java `RuntimeException`, a Go
 * panic) whose message is the `ValidationError`'s; `validationDetails(message)`
 * turns that message back into the construct path, prop and allowed values.
 */
export class Errors {
  /** True when `x` is a `ValidationError` of this library (any copy of it). */
  public static isValidationError(x: any): boolean {
    return x !== null && typeof x === 'object' && (x as Record<symbol, unknown>)[VALIDATION_ERROR] === true;
  }

  /**
   * The details of a `ValidationError` the library created in this process (one of the latest
   * 64), found by its message in `text`: the exception's message in another language, which may
   * carry more (Java's has the JavaScript stack after it). `undefined` when `text` holds the
   * message of none of them; when it holds several, the longest message wins.
   */
  public static validationDetails(text: string): ValidationErrorDetails | undefined {
    if (typeof text !== 'string') return undefined;
    const exact = recent.get(text);
    if (exact) return exact;
    let found: ValidationErrorDetails | undefined;
    for (const [message, details] of recent) {
      if (text.includes(message) && (found === undefined || message.length >= found.message.length)) found = details;
    }
    return found;
  }

  private constructor() {}
}

/** The bad value as it appears in a message; never throws, whatever the value. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return '(missing)';
  // JSON would show NaN and Infinity as null.
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (Array.isArray(value) && value.length === 0) return '(none)';
  return clip(jsonText(value), 120);
}

/** Records `e` as the latest error with its message, for `Errors.validationDetails`. */
function remember(e: ValidationError): void {
  recent.delete(e.message);
  recent.set(e.message, { constructPath: e.constructPath, prop: e.prop, allowed: e.allowed, message: e.message });
  if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
}
