/** `literal-registry-credential`: No literal registry password, token or TLS key. */
import { RuleId, Severity } from '../model';
import { RuleDefinition } from '../rule-definition';
import { block, blocks, isLiteral } from '../values';

/** The rule for a literal credential: a non-empty string without interpolation. */
function literalCredential(value: unknown): boolean {
  return isLiteral(value);
}

export const literalRegistryCredential: RuleDefinition = {
  id: RuleId.LITERAL_REGISTRY_CREDENTIAL,
  severity: Severity.ERROR,
  reason: 'Registry passwords, tokens and TLS keys written as literals sit in the code, the plan and the state; pass them from sensitive variables.',
  source: 'Talk: registries (push and pull with credentials kept out of the code)',
  types: ['provider', 'docker_registry_image', 'docker_image'],
  check(r) {
    const out: string[] = [];
    const v = r.values;
    if (r.type === 'provider') {
      blocks(v.registry_auth).forEach((auth, i) => {
        const registry = isLiteral(auth.address) ? ` (registry ${auth.address})` : '';
        if (literalCredential(auth.password)) out.push(`registry_auth[${i}].password${registry} is a literal`);
        if (isLiteral(auth.config_file_content) && /"(auth|password|identitytoken)"/i.test(auth.config_file_content)) {
          out.push(`registry_auth[${i}].config_file_content${registry} is a literal holding credentials`);
        }
      });
      if (literalCredential(v.key_material)) out.push('key_material (the TLS private key for the Docker host) is a literal');
      if (literalCredential(v.password)) out.push('password is a literal');
    } else if (r.type === 'docker_registry_image') {
      if (literalCredential(block(v.auth_config)?.password)) out.push('auth_config.password is a literal');
    } else {
      blocks(block(v.build)?.auth_config).forEach((auth, i) => {
        for (const attr of ['password', 'auth', 'identity_token', 'registry_token']) {
          if (literalCredential(auth[attr])) out.push(`build.auth_config[${i}].${attr} is a literal`);
        }
      });
    }
    return out.map((m) => `${m}; use a sensitive variable reference (\${var.x})`);
  },
};
