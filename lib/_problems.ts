/**
 * The problems of one props object, collected: a construct checks each prop (or group of props
 * that depend on each other) in `check`, and throws once, with every problem, before it renders.
 * A user with three mistakes in one container sees three errors, not the first of them.
 */
import { ValidationError } from './errors';

export class Problems {
  private readonly found: ValidationError[] = [];

  /** @param where what the combined error names when there are several problems (a construct path) */
  constructor(private readonly where: string) {}

  /**
   * Runs `check`; a ValidationError it throws is kept (and the result is `undefined`), anything
   * else is a bug and goes on up.
   */
  public check<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      this.found.push(...e.problems);
      return undefined;
    }
  }

  /** Keeps problems found without a throw (a check that returns them). */
  public add(problems: readonly ValidationError[]): void {
    for (const p of problems) this.found.push(...p.problems);
  }

  /** True when a problem names `prop` or a part of it (`prop.x`, `prop[0]`). */
  public about(prop: string): boolean {
    return this.found.some((p) => p.prop === prop || p.prop.startsWith(`${prop}.`) || p.prop.startsWith(`${prop}[`));
  }

  /** True when a check failed. */
  public get any(): boolean {
    return this.found.length > 0;
  }

  /** Throws the one problem, or one ValidationError listing them all; nothing when there are none. */
  public throwIfAny(): void {
    if (this.found.length === 1) throw this.found[0];
    if (this.found.length > 1) throw ValidationError.combine(this.where, this.found);
  }
}
