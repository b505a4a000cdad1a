/**
 * The one error type the library throws for bad input.
 *
 * Every message names the construct path, the prop, the bad value and what
 * is allowed, so a user can fix the call without reading the library.
 */
export class ValidationError extends Error {
  /** Path of the construct (or factory) that rejected the value. */
  public readonly constructPath: string;
  /** The prop, option or argument that was rejected. */
  public readonly prop: string;
  /** What the prop accepts. */
  public readonly allowed: string;

  constructor(constructPath: string, prop: string, value: unknown, allowed: string) {
    super(`${constructPath}: invalid ${prop} ${describe(value)}: ${allowed}`);
    this.name = 'ValidationError';
    this.constructPath = constructPath;
    this.prop = prop;
    this.allowed = allowed;
    Object.setPrototypeOf(this, ValidationError.prototype);
  }
}

/** The bad value as it appears in a message; never throws, whatever the value. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return '(missing)';
  // JSON would show NaN and Infinity as null.
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (Array.isArray(value) && value.length === 0) return '(none)';
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    try {
      text = String(value);
    } catch {
      text = `(${typeof value})`;
    }
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
