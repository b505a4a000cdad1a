/** `user-not-set`: A container runs as a non-root user. */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER_OR_TASK, OK, ROOT_USER, RuleDefinition, attributeName } from '../rule-definition';
import { isInterpolated, str } from '../values';
import { getOrCreate } from '../../_collections';

/** The most common finding's text by attribute name, made once: stacks repeat it for thousands of containers. */
const UNKNOWN_USER = new Map<string, string>();

export const userNotSet: RuleDefinition = {
  id: RuleId.USER_NOT_SET,
  severity: Severity.WARNING,
  reason: 'A container without a user runs as the image default, often root; without user namespace remapping that is UID 0 on the host kernel.',
  source: `Talk: containers' processes are visible on the host; ${CIS} 4.1`,
  types: CONTAINER_OR_TASK,
  check(r, ctx) {
    const user = str(r.values.user);
    if (isInterpolated(user)) return OK;
    if (user !== undefined && user !== '') {
      return ROOT_USER.test(user) ? [`${attributeName(r, 'user')} is "${user}"; run as a non-root user`] : OK;
    }
    const image = ctx.imageOf(r).image;
    const stage = image ? ctx.builtStage(image) : undefined;
    if (stage?.user !== undefined) {
      return ROOT_USER.test(stage.user) ? [`${attributeName(r, 'user')} is not set and ${stage.dockerfile} ends with USER ${stage.user}; run as a non-root user`] : OK;
    }
    const attr = attributeName(r, 'user');
    return [getOrCreate(UNKNOWN_USER, attr, () => `${attr} is not set and the image's user is not known to be non-root; set \`${attr}\` or a non-root USER in the Dockerfile`)];
  },
};
