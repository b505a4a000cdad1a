/** `no-log-rotation`: A container's json-file/local logs rotate (max-size and max-file). */
import { RuleId, Severity } from '../model';
import { OK, RuleDefinition, CONTAINER_OR_TASK, attributeName } from '../rule-definition';
import { isObject, str } from '../values';

const NO_OPTS: Readonly<Record<string, unknown>> = {};

export const noLogRotation: RuleDefinition = {
  id: RuleId.NO_LOG_ROTATION,
  severity: Severity.WARNING,
  reason: 'json-file logs grow without bound unless max-size and max-file are set: the disk fills and the host goes down.',
  source: 'Talk: service manager duties (a service manager also keeps the logs in check)',
  types: CONTAINER_OR_TASK,
  check(r) {
    const driver = str(r.values.log_driver);
    const opts = isObject(r.values.log_opts) ? r.values.log_opts : NO_OPTS;
    const driverAttr = attributeName(r, 'log_driver');
    const optsAttr = attributeName(r, 'log_opts');
    if (driver === undefined || driver === '') {
      return [`${driverAttr} is not set (the daemon default is json-file without rotation); set ${driverAttr} "json-file" with ${optsAttr} max-size and max-file`];
    }
    if (driver !== 'json-file' && driver !== 'local') return OK;
    const noSize = opts['max-size'] === undefined || opts['max-size'] === '';
    const noFiles = opts['max-file'] === undefined || opts['max-file'] === '';
    if (!noSize && !noFiles) return OK;
    return [`${driverAttr} "${driver}" without ${optsAttr} ${noSize && noFiles ? 'max-size and max-file' : noSize ? 'max-size' : 'max-file'}; set both`];
  },
};
