/** Which environment variable names hold secrets (read by `literal-secret-env` and by the plan reader). */

const SECRET_SEGMENTS = new Set([
  'PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'KEY', 'KEYS',
  'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'PRIVATE', 'PRIVATEKEY',
]);
/** A last name segment that says the value is not the secret itself but a path, a name or a setting. */
const NOT_SECRET_SUFFIX = new Set(['FILE', 'PATH', 'DIR', 'NAME', 'ID', 'TTL', 'LENGTH', 'SIZE', 'TYPE', 'ALGORITHM', 'ENABLED']);

/** An environment variable name whose segments say it holds a secret. */
const SECRET_HINT = /PASS|SECRET|TOKEN|KEY|CRED|PRIVATE/;

export function looksSecret(name: string): boolean {
  const upper = name.toUpperCase();
  if (!SECRET_HINT.test(upper)) return false;
  const segments = upper.split(/[^A-Z0-9]+/).filter((s) => s !== '');
  if (segments.length === 0 || NOT_SECRET_SUFFIX.has(segments[segments.length - 1])) return false;
  return segments.some((s) => SECRET_SEGMENTS.has(s));
}
