/**
 * The compose loader: a compose file → the normalised model (`model.ts`).
 *
 * Every key of the compose specification is either mapped, recorded as a note (no counterpart in
 * the plan, nothing lost silently), or refused with the library's ValidationError naming the file,
 * line, column and key path. The mapping table (`service-keys.ts`) says which is which; values the
 * library's constructs would refuse are refused here already, where the place is known.
 *
 * Reading order: this driver; `load-context.ts` (the file, its variables, project name and top-level
 * sections); `service.ts` (one service), which calls one module per key family: `image.ts`,
 * `environment.ts`, `volumes.ts`, `secrets.ts`, `ports.ts`, `networks.ts`, `dependencies.ts`,
 * `container-keys.ts`, `deploy.ts`, `engine-settings.ts`. `reader.ts` holds the typed readers.
 */
import { ServiceSet, creationOrder, healthState } from './dependencies';
import { ComposeModel, ComposeNoteModel, ImageModel, ServiceModel } from './model';
import { declaredNetworks } from './networks';
import { LoadContext, LoadOptions } from './load-context';
import { Reader, isMap } from './reader';
import { readService } from './service';
import { PlainMap } from './source';
import { declaredVolumes } from './volumes';

export { DEFAULT_BUILD_TAG } from './load-context';
export type { LoadOptions } from './load-context';
export { SERVICE_KEYS } from './service-keys';

const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

/** Reads the compose file `options.file` into the model; throws the library's ValidationError for what it refuses. */
export function loadCompose(options: LoadOptions): ComposeModel {
  const ctx: LoadContext = new LoadContext(options);
  const services = ctx.root.services;
  if (!isMap(services) || Object.keys(services).length === 0) {
    ctx.r.fail('services', services, 'a mapping of at least one service', services === undefined);
  }
  const enabled = enabledServices(ctx, services);
  const set: ServiceSet = { all: services, enabled: new Set(enabled) };
  for (const name of enabled) {
    const def = services[name] as PlainMap;
    if (def.build !== undefined && typeof def.image === 'string' && !ctx.builtBy.has(def.image)) ctx.builtBy.set(def.image, name);
  }
  // Health checks first: `service_healthy` judges the dependency's.
  for (const name of enabled) ctx.health.set(name, healthState(services[name] as PlainMap));

  const byName = new Map<string, ServiceModel>();
  for (const name of enabled) byName.set(name, readService(ctx, name, services[name] as PlainMap, set));
  const ordered = creationOrder(ctx, enabled, byName);
  const networks = declaredNetworks(ctx);
  const volumes = declaredVolumes(ctx);
  return {
    file: ctx.file,
    displayFile: options.file,
    directory: ctx.dir,
    projectName: ctx.projectName,
    networks,
    volumes,
    images: imagesInOrder(ctx, ordered),
    services: ordered,
    notes: [...dedupeNotes(ctx.r.s.notes), ...ctx.r.notes],
  };
}

/** The services the active profiles enable, in file order; the others are noted. */
function enabledServices(ctx: LoadContext, services: PlainMap): string[] {
  const r: Reader = ctx.r;
  const profiles = ctx.activeProfiles();
  const all = profiles.includes('*');
  const enabled: string[] = [];
  for (const [name, def] of Object.entries(services)) {
    const p = `services.${name}`;
    if (!SERVICE_NAME.test(name)) r.fail(p, name, 'a service name of letters, digits, . _ and -, starting with a letter or digit', true);
    if (!isMap(def)) r.fail(p, def, 'a service definition (a mapping)');
    const own = def.profiles === undefined ? [] : r.stringList(`${p}.profiles`, def.profiles, 'a list of profile names');
    if (own.length === 0 || all || own.some((x) => profiles.includes(x))) {
      enabled.push(name);
    } else {
      r.note(p, `service ${name} is in profiles ${own.join(', ')}, none of them active: not declared`);
    }
  }
  if (enabled.length === 0) r.fail('services', Object.keys(services), `at least one service enabled by the active profiles (${profiles.join(', ') || 'none'})`);
  return enabled;
}

/** Images in the order of the services that use them, each once. */
function imagesInOrder(ctx: LoadContext, services: ServiceModel[]): ImageModel[] {
  const images: ImageModel[] = [];
  const seen = new Set<string>();
  for (const svc of services) {
    if (!seen.has(svc.image)) {
      seen.add(svc.image);
      images.push(ctx.images.get(svc.image) as ImageModel);
    }
  }
  return images;
}

/** The source's notes (unset variables) once per key path and message. */
function dedupeNotes(notes: ComposeNoteModel[]): ComposeNoteModel[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const key = `${n.source.path}\0${n.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
