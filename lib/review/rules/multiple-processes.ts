/** `multiple-processes`: A container runs one service: no supervisor, init system, sshd, cron or backgrounded process. */
import { RuleId, Severity } from '../model';
import { CIS, CONTAINER_OR_TASK, OK, RuleDefinition, attributeName } from '../rule-definition';
import { strings } from '../values';

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);
const SUPERVISORS = new Set(['supervisord', 'systemd', 'sshd', 'cron', 'crond', 'runsvdir', 's6-svscan']);

function basename(token: string): string {
  return token.slice(token.lastIndexOf('/') + 1);
}

/** Removes quoted parts of a shell script so that `&` inside quotes does not count. */
function stripQuoted(script: string): string {
  return script.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, ' ');
}

/** Why a command line starts more than one process, or undefined. */
function multiProcess(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '/sbin/init' || token === '/usr/sbin/init' || token === '/lib/systemd/systemd') return `runs an init system (${token})`;
    if (SUPERVISORS.has(basename(token))) return `runs ${basename(token)}`;
    if (SHELLS.has(basename(token)) && argv[i + 1] === '-c' && typeof argv[i + 2] === 'string') {
      const script = argv[i + 2];
      const bare = stripQuoted(script);
      for (const word of bare.split(/[\s;|&()]+/)) {
        if (word === '/sbin/init' || SUPERVISORS.has(basename(word))) return `runs ${basename(word)} from a shell (\`${script}\`)`;
      }
      // A single `&` (not `&&`, `>&`, `&>`, `|&`) sends a process to the background.
      if (/(^|[^&>|<])&(?![&>])/.test(bare)) return `backgrounds a process with \`&\` in \`${script}\``;
    }
  }
  return undefined;
}

export const multipleProcesses: RuleDefinition = {
  id: RuleId.MULTIPLE_PROCESSES,
  severity: Severity.WARNING,
  reason: 'A container is one service, not a VM: supervisors, init systems, sshd, cron or backgrounded processes hide failures from the restart policy and health check.',
  source: `Talk: one process per container; ${CIS} 5.6 (sshd)`,
  types: CONTAINER_OR_TASK,
  check(r) {
    if (r.values.entrypoint === undefined && r.values.command === undefined) return OK;
    const argv = [...strings(r.values.entrypoint), ...strings(r.values.command)];
    const why = multiProcess(argv);
    return why ? [`${attributeName(r, 'command')} ${JSON.stringify(argv)} ${why}; run one service per container and let Docker supervise it`] : OK;
  },
};
