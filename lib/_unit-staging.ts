/**
 * The folder the unit files are staged in before the asset copies them into the stack's output.
 * Nothing touches the disk while the construct tree is built: the folder and the asset are made
 * on first use (the synth-time Aspect of `SystemdUnits`, or a caller reading `asset`), and the
 * folder is removed once the asset copied it.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { App, AssetType, TerraformAsset } from 'cdktf';

const STAGING = '.systemd-units-staging';

/** A staged folder of unit files and the asset over it. */
export class UnitStaging {
  private folder?: string;
  private made?: TerraformAsset;
  private staged: string[] = [];

  /** @param scope the construct the asset is made in, with id `id` */
  constructor(private readonly scope: Construct, private readonly id: string) {}

  /**
   * The asset (a folder). TerraformAsset hashes its source folder when constructed, so the folder
   * is made first; the hash is set from the files when they are written.
   */
  public get asset(): TerraformAsset {
    this.made ??= new TerraformAsset(this.scope, this.id, { path: this.dir(), type: AssetType.DIRECTORY, assetHash: 'PENDING' });
    return this.made;
  }

  /** The names of the files last written. */
  public get names(): string[] {
    return [...this.staged];
  }

  /** Replaces the staged files with `files` and points the asset at their hash. */
  public write(files: readonly { name: string; text: string }[]): void {
    const asset = this.asset;
    const dir = this.dir();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const hash = crypto.createHash('sha256');
    for (const f of files) {
      fs.writeFileSync(path.join(dir, f.name), f.text, { mode: 0o644 });
      hash.update(`${f.name}\0${f.text}\0`);
    }
    asset.assetHash = hash.digest('hex').slice(0, 32).toUpperCase();
    this.staged = files.map((f) => f.name);
  }

  /** Removes the folder (and the shared staging parent once it is empty). */
  public clean(): void {
    if (this.folder === undefined) return;
    fs.rmSync(this.folder, { recursive: true, force: true });
    const parent = path.dirname(this.folder);
    if (path.basename(parent) === STAGING && fs.existsSync(parent) && fs.readdirSync(parent).length === 0) fs.rmdirSync(parent);
  }

  /**
   * The folder, made if missing: in the app's output folder, so that nothing is left behind in
   * the system's temporary folder; a temporary folder when the construct tree has no App.
   */
  private dir(): string {
    if (this.folder === undefined) {
      let outdir: string | undefined;
      try {
        outdir = App.of(this.scope).outdir;
      } catch {
        outdir = undefined;
      }
      this.folder = outdir !== undefined
        ? path.resolve(outdir, STAGING, this.scope.node.addr)
        : fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-systemd-units-'));
    }
    fs.mkdirSync(this.folder, { recursive: true });
    return this.folder;
  }
}
