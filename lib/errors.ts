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

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return '(missing)';
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}
