import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * A SHA-256 over the build context as Docker sends it: every file not excluded by
 * `.dockerignore` (Docker's own semantics), by relative path, executable bit and content.
 * The Dockerfile and `.dockerignore` count even when excluded, as Docker still reads them.
 */
export function contextFingerprint(contextDir: string, dockerfile: string): string {
  const dockerignore = require('@balena/dockerignore') as (opts?: object) => { add(p: string[]): { ignores(p: string): boolean } };
  const ignoreFile = path.join(contextDir, '.dockerignore');
  const patterns = fs.existsSync(ignoreFile)
    ? fs.readFileSync(ignoreFile, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
    : [];
  const matcher = dockerignore().add(patterns);
  const negations = patterns.some((p) => p.startsWith('!'));
  const always = new Set([toPosix(path.normalize(dockerfile)), '.dockerignore']);

  const files: string[] = [];
  const walk = (rel: string): void => {
    const entries = fs.readdirSync(path.join(contextDir, rel), { withFileTypes: true });
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const ignored = matcher.ignores(child);
      if (entry.isDirectory()) {
        if (!ignored || negations) walk(child);
      } else if (!ignored || always.has(child)) {
        files.push(child);
      }
    }
  };
  walk('');
  for (const f of always) {
    if (!files.includes(f) && fs.existsSync(path.join(contextDir, f))) files.push(f);
  }
  files.sort();

  const hash = crypto.createHash('sha256');
  for (const rel of files) {
    const abs = path.join(contextDir, rel);
    const stat = fs.lstatSync(abs);
    hash.update(rel).update('\0');
    if (stat.isSymbolicLink()) {
      hash.update('link\0').update(fs.readlinkSync(abs));
    } else {
      hash.update(stat.mode & 0o111 ? 'x\0' : '-\0').update(fs.readFileSync(abs));
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
