/**
 * `no-health-check`: A container declares a health check. Not raised for a container that
 * runs to completion (`must_run = false`, `start = false`, `attach = true`): nothing waits on
 * it being healthy.
 */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER_OR_TASK, OK, RuleDefinition, attributeName, runToCompletionBy } from '../rule-definition';
import { block, strings } from '../values';
import { getOrCreate } from '../../_collections';

/** The most common finding's text (no block, nothing in the image) by attribute name, made once: stacks repeat it for thousands of containers. */
const NO_BLOCK = new Map<string, string>();

export const noHealthCheck: RuleDefinition = {
  id: RuleId.NO_HEALTH_CHECK,
  severity: Severity.WARNING,
  reason: 'Without a health check Docker and Terraform cannot tell a hung service from a healthy one, and dependents cannot wait for it.',
  source: `Talk: service manager duties (ordered start); ${CIS} 5.26`,
  types: CONTAINER_OR_TASK,
  check(r, ctx) {
    const hc = block(r.values.healthcheck);
    const test = strings(hc?.test);
    if (hc && !(test.length > 0 && test[0].toUpperCase() === 'NONE')) return OK;
    if (runToCompletionBy(r.values) !== undefined) return OK;
    const image = ctx.imageOf(r).image;
    const stage = image ? ctx.builtStage(image) : undefined;
    const note = stage?.healthcheck ? ' (the image declares a HEALTHCHECK, but the container does not: Terraform cannot wait on it and the plan does not show it)' : '';
    const attr = attributeName(r, 'healthcheck');
    const message = () => `${hc ? `${attributeName(r, 'healthcheck.test')} is NONE` : `no ${attr} block`}${note}; declare the health check on the ${r.service ? 'service' : 'container'}`;
    return [hc || note ? message() : getOrCreate(NO_BLOCK, attr, message)];
  },
};
