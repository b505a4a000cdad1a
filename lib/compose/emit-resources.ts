/**
 * The generated declarations of what the services share: a `ServiceNetwork` per network, a
 * `DataVolume` per volume (anonymous ones declared as named), and each image (`MinimalImage`,
 * `ContainerImage.fromRegistry`, or a plain `docker_image` for an unpinned reference), as
 * `instantiate.ts` declares them.
 */
import { ImageKind, ImageModel } from './model';
import { I, Program } from './emit-program';
import { comment, lit, str } from './emit-text';

export function emitNetworks(prog: Program): void {
  const { model, body } = prog;
  if (model.networks.length > 0) body.push('', `${I}// Networks: compose's ${model.networks.some((n) => n.key === 'default') ? 'default network and the ' : ''}networks the services use.`);
  if (model.networks.length > 0) prog.uses.add('ServiceNetwork');
  for (const n of model.networks) {
    const v = prog.names.take(n.key, 'Network');
    prog.netVars.set(n.id, v);
    const props = { networkName: n.networkName, internal: n.internal, subnet: n.subnet, gateway: n.gateway, ipRange: n.ipRange, attachable: n.attachable, labels: n.labels };
    const start = `${I}const ${v} = new ServiceNetwork(project, ${str(n.id)}, `;
    body.push(`${start}${lit(props, I.length, start.length + 2)});`);
    if (n.driverOptions) body.push(`${I}${v}.resource.options = ${lit(n.driverOptions, I.length)}; // driver_opts`);
  }
}

export function emitVolumes(prog: Program): void {
  const { model, body } = prog;
  if (model.volumes.length > 0) {
    prog.uses.add('DataVolume');
    body.push('', `${I}// Volumes.`);
  }
  for (const vol of model.volumes) {
    const v = prog.names.take(vol.anonymous ? vol.id.replace(/^volume-/, '') : vol.key, 'Volume');
    prog.volVars.set(vol.id, v);
    const props = { volumeName: vol.volumeName, driver: vol.driver, driverOptions: vol.driverOptions, labels: vol.labels };
    if (vol.anonymous) body.push(`${I}// ${vol.key.split(':')[0]}'s anonymous volume at ${vol.key.slice(vol.key.indexOf(':') + 1)}, declared as a named one.`);
    const start = `${I}const ${v} = new DataVolume(project, ${str(vol.id)}, `;
    body.push(`${start}${lit(props, I.length, start.length + 2)});`);
  }
}

export function emitImages(prog: Program): void {
  const { model, body } = prog;
  if (model.images.length > 0) body.push('', `${I}// Images.`);
  for (const img of model.images) {
    let v: string;
    if (img.kind === ImageKind.BUILD) v = builtImage(prog, img);
    else if (img.kind === ImageKind.REGISTRY) v = registryImage(prog, img);
    else v = unpinnedImage(prog, img);
    prog.imageVars.set(img.id, v);
  }
}

/** The last path component of the repository, for the variable name. */
function repositoryName(img: ImageModel): string {
  return img.reference.replace(/[@:].*$/, '').split('/').pop() as string;
}

function builtImage(prog: Program, img: ImageModel): string {
  prog.uses.add('MinimalImage');
  const v = prog.names.take(img.id.replace(/^image-/, ''), 'Image');
  const props: Record<string, unknown> = { context: '@@CONTEXT@@', name: img.reference, dockerfile: img.dockerfile, buildArgs: img.buildArgs, target: img.target, platform: img.platform };
  const start = `${I}const ${v} = new MinimalImage(project, ${str(img.id)}, `;
  const context = prog.pathExpr(img.context as string);
  const text = lit(props, I.length, start.length + 2 + context.length - "'@@CONTEXT@@'".length).replace("'@@CONTEXT@@'", () => context);
  prog.body.push(`${start}${text});`);
  return v;
}

function registryImage(prog: Program, img: ImageModel): string {
  prog.uses.add('ContainerImage');
  const v = prog.names.take(repositoryName(img), 'Image');
  const options = img.platform ? `, ${lit({ platform: img.platform })}` : '';
  prog.body.push(`${I}const ${v} = ContainerImage.fromRegistry(${str(img.reference)}${options});`);
  return v;
}

function unpinnedImage(prog: Program, img: ImageModel): string {
  const { body } = prog;
  const repo = repositoryName(img);
  prog.uses.add('Image');
  prog.uses.add('IContainerImage');
  const pulled = prog.names.take(repo, 'Pull');
  const v = prog.names.take(repo, 'Image');
  const id = `image-${img.reference.replace(/[^a-zA-Z0-9_-]+/g, '-')}`;
  body.push(...comment(`${img.reference} is not pinned (allowUnpinnedImages): the review reports it. Pin a version tag or digest and use ContainerImage.fromRegistry.`, I));
  const start = `${I}const ${pulled} = new Image(this, ${str(id)}, `;
  body.push(`${start}${lit({ provider: '@@PROVIDER@@', name: img.reference, keepLocally: true, platform: img.platform }, I.length, start.length + 12).replace("'@@PROVIDER@@'", 'host.providerFor(this)')});`);
  body.push(`${I}const ${v}: IContainerImage = { bind: () => ({ imageId: ${pulled}.imageId, imageName: ${str(img.reference)} }) };`);
  return v;
}
