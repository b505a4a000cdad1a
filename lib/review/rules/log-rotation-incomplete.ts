/** `log-rotation-incomplete`: log_opts sets both max-size and max-file, or neither (cases `no-log-rotation` does not judge). */
import { RuleId, Severity } from '../model';
import { OK, RuleDefinition, CONTAINER_OR_TASK, attributeName } from '../rule-definition';
import { isInterpolated, isObject, str } from '../values';

function given(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

export const logRotationIncomplete: RuleDefinition = {
  id: RuleId.LOG_ROTATION_INCOMPLETE,
  severity: Severity.WARNING,
  reason: "max-size or max-file alone is half a rotation; where the daemon has default log-opts they fill in the other, which the provider reads back: a change on every plan.",
  source: 'Talk: service manager duties (a service manager also keeps the logs in check)',
  types: CONTAINER_OR_TASK,
  check(r) {
    const opts = r.values.log_opts;
    if (!isObject(opts)) return OK;
    const size = given(opts['max-size']);
    if (size === given(opts['max-file'])) return OK;
    // A literal driver is no-log-rotation's: unset, json-file and local (it says which option is missing);
    // other drivers take neither option (Docker refuses them). This rule owns the drivers the review cannot read.
    const driver = str(r.values.log_driver);
    if (!isInterpolated(driver)) return OK;
    return [`${attributeName(r, 'log_opts')} sets ${size ? 'max-size but not max-file' : 'max-file but not max-size'} (${attributeName(r, 'log_driver')} ${driver}); set both`];
  },
};
