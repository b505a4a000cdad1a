/**
 * Reads the base image of a Dockerfile's final stage. Shared by `MinimalImage` (which records
 * it) and the review (which judges it, for raw resources too).
 */

/** The final stage's base: follows stage aliases and substitutes simple `ARG` defaults. */
export function finalBaseImage(dockerfile: string, buildArgs: Record<string, string> = {}): string | undefined {
  // Loaded on demand: only builds and reviews of build contexts pay for the parser.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DockerfileParser } = require('dockerfile-ast') as typeof import('dockerfile-ast');
  const parsed = DockerfileParser.parse(dockerfile);
  const args: Record<string, string> = {};
  for (const arg of parsed.getInitialARGs()) {
    const property = arg.getProperty();
    const name = property?.getName();
    if (name) args[name] = buildArgs[name] ?? property?.getValue() ?? '';
  }
  const substitute = (text: string): string =>
    text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced, fallback, bare) => {
      const name = braced ?? bare;
      const value = args[name];
      return value !== undefined && value !== '' ? value : fallback ?? '';
    });
  const stages = new Map<string, string>();
  let last: string | undefined;
  for (const from of parsed.getFROMs()) {
    const raw = from.getImage();
    if (!raw) continue;
    let image = substitute(raw);
    const alias = stages.get(image.toLowerCase());
    if (alias !== undefined) image = alias;
    const stage = from.getBuildStage();
    if (stage) stages.set(stage.toLowerCase(), image);
    last = image;
  }
  return last;
}
