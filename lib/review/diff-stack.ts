/**
 * The changes of one stack in the review of a change (`diff.ts`), from the two
 * sides' inputs, reviews and resource matching (`diff-match.ts`), in this order:
 *
 * - per head resource: its address changed, its suppressions (`diff-findings.ts`),
 *   and a container or service compared with its match (`diff-services.ts`) or
 *   added; a network (`diff-exposure.ts`) or built image (`diff-images.ts`)
 *   compared with its match;
 * - containers and services the head no longer has;
 * - worse changes the head suppresses made `info`; then the findings delta.
 *
 * Changes come out worse first (by severity), then better, then neutral.
 */
import { compareNetworks, NetworkGraph } from './diff-exposure';
import { acceptSuppressed, findingChanges, findingsDelta, suppressionChanges } from './diff-findings';
import { compareBuiltImages } from './diff-images';
import { isService, Matching } from './diff-match';
import {
  CATEGORY_RANK, Change, ChangeCategory, ChangeEffect, ChangeSeverity, ChangeSink, DraftChange, EFFECT_RANK, ServiceContext, ServiceSide,
  SEVERITY_RANK, StackDiff,
} from './diff-model';
import { compareService } from './diff-services';
import { DockerfileCache } from './dockerfile';
import { Finding, ResourceShape, ServiceSummary, StackInput, StackReview } from './model';
import { serviceTaskView } from './service-task';
import { JsonObject } from './values';

/** One side of a stack: absent when only the other side has the stack. */
export interface Side {
  readonly input: StackInput | undefined;
  readonly review: StackReview | undefined;
  /** The side's declared networks (`declaredNetworks`), over all its stacks. */
  readonly networks: Map<string, boolean>;
}

const NO_RESOURCES: readonly ResourceShape[] = [];
const NO_REVIEW: StackReview = { name: '', services: [], findings: [] };
const NO_DECLARED = new Map<string, boolean>();

/** The summaries of both sides by address; the base's completed with the head's for what was not reviewed twice. */
interface Summaries {
  readonly base: Map<string, ServiceSummary>;
  readonly head: Map<string, ServiceSummary>;
  /** The base's services, those not reviewed twice included. */
  readonly baseServices: readonly ServiceSummary[];
}

/**
 * The changes of one stack. `unchanged`: the head's containers and services whose base review
 * was not made (`reusable`): the head's summary and findings stand for the base's.
 */
export function diffStack(
  baseSide: Side, headSide: Side, matching: Matching, unchanged: ReadonlySet<ResourceShape>, dockerfiles: DockerfileCache,
  sensitive: (variable: string) => boolean | undefined,
): StackDiff {
  const name = (headSide.input ?? baseSide.input)?.name ?? '';
  const baseReview = baseSide.review ?? NO_REVIEW;
  const headReview = headSide.review ?? NO_REVIEW;
  const summaries = summariesOf(baseReview, headReview, unchanged, matching);
  const headResources = headSide.input?.resources ?? NO_RESOURCES;
  const headByAddress = new Map<string, ResourceShape>();
  for (let i = 0; i < headResources.length; i++) headByAddress.set(headResources[i].address, headResources[i]);
  const context: ServiceContext = {
    base: { graph: new NetworkGraph(summaries.baseServices, baseSide.input ? baseSide.networks : NO_DECLARED), resources: matching.baseByAddress },
    head: { graph: new NetworkGraph(headReview.services, headSide.input ? headSide.networks : NO_DECLARED), resources: headByAddress },
    sensitive,
  };

  const changes: DraftChange[] = [];
  const emit: ChangeSink = (c) => {
    changes.push(c);
  };
  const dirs = { base: baseSide.input?.baseDir, head: headSide.input?.baseDir };
  for (let i = 0; i < headResources.length; i++) compareResource(headResources[i], matching, summaries, unchanged, context, dirs, dockerfiles, emit);
  removedServices(baseSide.input?.resources ?? NO_RESOURCES, matching, summaries, emit);
  acceptSuppressed(changes, headByAddress);

  const { newFindings, resolvedFindings } = findingsDelta(baseReview.findings, comparedFindings(headReview, unchanged), matching.headOf);
  findingChanges(newFindings, resolvedFindings, matching.headOf, changes);

  changes.sort(byRank);
  const status = !baseSide.input ? 'added' : !headSide.input ? 'removed' : changes.length > 0 ? 'changed' : 'unchanged';
  return {
    name,
    status,
    services: { base: summaries.baseServices.length, head: headReview.services.length },
    changes: changes.map(tidyChange),
    newFindings,
    resolvedFindings,
  };
}

/** The head's findings but those of the resources not reviewed twice (the same on both sides). */
function comparedFindings(headReview: StackReview, unchanged: ReadonlySet<ResourceShape>): readonly Finding[] {
  if (unchanged.size === 0) return headReview.findings;
  const skip = new Set<string>();
  for (const h of unchanged) skip.add(h.address);
  return headReview.findings.filter((f) => !skip.has(f.resource));
}

function summariesOf(baseReview: StackReview, headReview: StackReview, unchanged: ReadonlySet<ResourceShape>, matching: Matching): Summaries {
  const base = new Map<string, ServiceSummary>();
  for (const s of baseReview.services) base.set(s.address, s);
  const head = new Map<string, ServiceSummary>();
  for (const s of headReview.services) head.set(s.address, s);
  let baseServices = baseReview.services;
  if (unchanged.size > 0) {
    baseServices = baseServices.slice();
    for (const h of unchanged) {
      const summary = head.get(h.address);
      const b = matching.baseOf.get(h.address);
      if (summary && b) {
        base.set(b.address, summary);
        baseServices.push(summary);
      }
    }
  }
  return { base, head, baseServices };
}

/** A container or Swarm service of one side, with what the comparisons read. */
function serviceSide(r: ResourceShape, summary: ServiceSummary): ServiceSide {
  if (r.type === 'docker_service') {
    const view = serviceTaskView(r);
    return { resource: r, view, values: view.values, service: r.values as JsonObject, summary };
  }
  return { resource: r, view: r, values: r.values, summary };
}

/** The changes of one head resource against its match (if any). */
function compareResource(
  h: ResourceShape, matching: Matching, summaries: Summaries, unchanged: ReadonlySet<ResourceShape>, context: ServiceContext,
  dirs: { readonly base?: string; readonly head?: string }, dockerfiles: DockerfileCache, emit: ChangeSink,
): void {
  const b = matching.baseOf.get(h.address);
  if (b && b.address !== h.address) {
    emit({
      category: ChangeCategory.SERVICES,
      severity: ChangeSeverity.INFO,
      effect: ChangeEffect.NEUTRAL,
      resource: h.address,
      baseResource: b.address,
      what: `address changed from ${b.address} to ${h.address} (same construct path ${h.constructPath ?? b.constructPath})`,
      why: `Terraform plans to destroy ${b.address} and create ${h.address}${isService(h) ? ' (downtime)' : ''} unless a moved block maps one to the other`,
      constructPath: h.constructPath,
    });
  }
  suppressionChanges(h, b, emit);
  if (isService(h)) {
    const hs = summaries.head.get(h.address);
    // The same container, seen by the rules the same way on both sides: nothing changed.
    if (!hs || unchanged.has(h)) return;
    const bs = b ? summaries.base.get(b.address) : undefined;
    if (b && bs) {
      compareService(serviceSide(b, bs), serviceSide(h, hs), context, emit);
      return;
    }
    emit({
      category: ChangeCategory.SERVICES,
      severity: ChangeSeverity.INFO,
      effect: ChangeEffect.NEUTRAL,
      resource: h.address,
      service: hs.name,
      what: `${h.type === 'docker_service' ? 'Swarm service' : 'container'} ${hs.name} added (image ${hs.image})`,
      why: 'new surface: its findings and exposure are listed with this change',
      constructPath: h.constructPath,
    });
    compareService(undefined, serviceSide(h, hs), context, emit);
  } else if (b && h.type === 'docker_network') {
    compareNetworks(b, h, emit);
  } else if (b && h.type === 'docker_image') {
    compareBuiltImages(b, dirs.base, h, dirs.head, dockerfiles, emit);
  }
}

/** The base's containers and services that the head no longer has. */
function removedServices(baseResources: readonly ResourceShape[], matching: Matching, summaries: Summaries, emit: ChangeSink): void {
  for (let i = 0; i < baseResources.length; i++) {
    const b = baseResources[i];
    if (!isService(b) || matching.headOf.has(b.address)) continue;
    const bs = summaries.base.get(b.address);
    if (!bs) continue;
    emit({
      category: ChangeCategory.SERVICES,
      severity: ChangeSeverity.INFO,
      effect: ChangeEffect.NEUTRAL,
      resource: b.address,
      service: bs.name,
      what: `${b.type === 'docker_service' ? 'Swarm service' : 'container'} ${bs.name} removed`,
      why: 'the head no longer runs it; its findings are resolved with it',
      constructPath: b.constructPath,
    });
  }
}

/** The change with its keys in a fixed order, undefined ones left out of the JSON. */
function tidyChange(c: DraftChange): Change {
  return {
    category: c.category,
    severity: c.severity,
    effect: c.effect,
    resource: c.resource,
    baseResource: c.baseResource,
    service: c.service,
    what: c.what,
    why: c.why,
    rule: c.rule,
    suppressionReason: c.suppressionReason,
    constructPath: c.constructPath,
  };
}

function byRank(a: DraftChange, b: DraftChange): number {
  return EFFECT_RANK[a.effect] - EFFECT_RANK[b.effect]
    || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]
    || CATEGORY_RANK[a.category] - CATEGORY_RANK[b.category]
    || (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0);
}
