/** Which environment variable names hold secrets (read by `literal-secret-env` and by the plan reader). */

const SECRET_SEGMENTS = new Set([
  'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'KEY', 'KEYS',
  'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'PRIVATE', 'PRIVATEKEY',
]);
/** A last name segment that says the value is not the secret itself but a path, a name or a setting. */
const NOT_SECRET_SUFFIX = new Set(['FILE', 'PATH', 'DIR', 'NAME', 'ID', 'TTL', 'LENGTH', 'SIZE', 'TYPE', 'ALGORITHM', 'ENABLED']);

/** A name that may hold a secret segment (in any case): most names do not, and are let go without a copy. */
const SECRET_HINT = /PASS|SECRET|TOKEN|KEY|CRED|PRIVATE/i;

/** An environment variable name whose segments say it holds a secret. */
export function looksSecret(name: string): boolean {
  if (!SECRET_HINT.test(name)) return false;
  const upper = name.toUpperCase();
  const segments = upper.split(/[^A-Z0-9]+/).filter((s) => s !== '');
  if (segments.length === 0 || NOT_SECRET_SUFFIX.has(segments[segments.length - 1])) return false;
  return segments.some((s) => SECRET_SEGMENTS.has(s));
}
