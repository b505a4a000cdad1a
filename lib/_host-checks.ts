/**
 * The checks of a `DockerHost`'s props that are not one line: the url and what goes with its
 * scheme, the props' JavaScript types, and the registries (one entry each, a warning for
 * credentials over plain HTTP off this machine).
 */
import { IConstruct } from 'constructs';
import { Annotations } from 'cdktf';
import type { DockerHostProps } from './docker-host-props';
import { RegistryCredentials } from './registry-credentials';
import { checkKnownKeys } from './_known-keys';
import { DOCKER_HOST_TLS_KEYS } from './_props-keys';
import { checkArray, checkInstance, checkOptionalString, checkProps, checkStringArray, fail, isPlainHttpRegistry, isUnresolved } from './_validate';

const ALLOWED_SCHEMES = ['unix:', 'tcp:', 'ssh:'];

/** One entry per registry (the provider keys them by host); credentials sent over plain HTTP only to loopback without a warning. */
export function checkRegistries(host: IConstruct, list: RegistryCredentials[]): void {
  const seen = new Map<string, number>();
  list.forEach((r, i) => {
    if (!(r instanceof RegistryCredentials)) return; // judged by checkPropTypes
    const name = r._registryHost();
    if (name === undefined) return;
    const before = seen.get(name);
    if (before !== undefined) {
      fail(host.node.path, `registries[${i}]`, r.rawAddress, `one entry per registry (registries[${before}] is already for ${name})`);
    }
    seen.set(name, i);
    const hostname = name.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const loopback = hostname === 'localhost' || /^127\./.test(hostname) || hostname === '::1';
    if (isPlainHttpRegistry(r.rawAddress) && !r.isAnonymous && !loopback) {
      Annotations.of(host).addWarning(
        `registries[${i}]: credentials for ${r.rawAddress} travel unencrypted over plain HTTP; use HTTPS for a registry off this machine`);
    }
  });
}

export function checkUrl(where: string, url: string, props: DockerHostProps): void {
  if (isUnresolved(url)) return;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !ALLOWED_SCHEMES.includes(parsed.protocol)) {
    fail(where, 'url', url, "a Docker host address with scheme unix://, tcp:// or ssh:// (e.g. 'unix:///var/run/docker.sock', 'tcp://10.0.0.5:2376', 'ssh://deploy@10.0.0.5')");
  }
  if (parsed.protocol === 'unix:' && !parsed.pathname.startsWith('/')) {
    fail(where, 'url', url, "a unix socket with an absolute path, e.g. 'unix:///var/run/docker.sock'");
  }
  if (parsed.protocol !== 'unix:' && !parsed.hostname) {
    fail(where, 'url', url, `a ${parsed.protocol}// address with a host name`);
  }
  if (props.tls && parsed.protocol !== 'tcp:') {
    fail(where, 'tls', '(TLS material)', 'TLS material only with a tcp:// url');
  }
  if (props.sshOptions && parsed.protocol !== 'ssh:') {
    fail(where, 'sshOptions', props.sshOptions, 'ssh options only with an ssh:// url');
  }
}

/** Types of the props a url does not judge (JavaScript callers can pass anything); `versions` are the provider versions allowed. */
export function checkHostPropTypes(where: string, props: DockerHostProps, versions: readonly string[]): void {
  // A literal: it decides at synth which constructs the host takes.
  if (props.swarm !== undefined && typeof props.swarm !== 'boolean') fail(where, 'swarm', props.swarm, 'true or false');
  checkProps(where, props.tls, false, 'an object of DockerHostTls: certPath, caMaterial, certMaterial, keyMaterial', 'tls');
  checkKnownKeys(where, props.tls, DOCKER_HOST_TLS_KEYS, 'tls');
  if (props.tls) {
    for (const key of ['certPath', 'caMaterial', 'certMaterial', 'keyMaterial'] as const) {
      // Never echo key material: the message names the prop and the type only.
      const value: unknown = props.tls[key];
      if (value !== undefined && typeof value !== 'string') fail(where, `tls.${key}`, `(a ${typeof value})`, 'a string (PEM text, a path, or a token)');
    }
  }
  checkOptionalString(where, 'providerVersion', props.providerVersion, `a provider version constraint: one of ${versions.join(', ')}`);
  checkStringArray(where, 'sshOptions', props.sshOptions, 'a list of ssh client options as strings, e.g. ["-o", "StrictHostKeyChecking=yes"]');
  checkArray(where, 'registries', props.registries, 'a list of RegistryCredentials');
  (props.registries as unknown[] | undefined ?? []).forEach((r, i) => {
    checkInstance(where, `registries[${i}]`, r, RegistryCredentials,
      'RegistryCredentials from RegistryCredentials.fromEnvironment, fromVariables, fromDockerConfig or anonymous', true);
  });
}
