import 'cdktf/lib/testing/adapters/jest';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { ReferenceApp, ReferenceAppProps } from '../examples/reference-app/app';
import { resources } from './util';

function synthReference(props: ReferenceAppProps = {}): any {
  const stack = new ReferenceApp(Testing.app(), 'reference-app', props);
  return JSON.parse(Testing.synth(stack, true));
}

const json = synthReference();
const containers = resources(json, 'docker_container');
const byName = (name: string) => Object.values(containers).find((c: any) => c.name === name) as any;
const addressOf = (name: string) => `docker_container.${Object.keys(containers).find((k) => containers[k].name === name)}`;

describe('reference app', () => {
  test('three services: web, api, cache', () => {
    expect(Object.values(containers).map((c: any) => c.name).sort()).toEqual(['api', 'cache', 'web']);
  });

  test.each(['web', 'api', 'cache'])('%s carries every default of the table', (name) => {
    const c = byName(name);
    expect(c).toMatchObject({
      restart: 'unless-stopped', must_run: true, init: true, read_only: true,
      security_opts: ['no-new-privileges:true'], log_driver: 'json-file',
      log_opts: { 'max-size': '10m', 'max-file': '3' },
    });
    expect(c.capabilities.drop).toEqual(['ALL']);
    expect(c.tmpfs['/tmp']).toBe('rw,noexec,nosuid,size=64m');
    expect(c.memory).toBeGreaterThanOrEqual(6);
    expect(c.healthcheck).toBeDefined();
    expect(c.wait).toBe(true);
  });

  test('containers sit only on user-defined networks, with their name as alias', () => {
    const networkRefs = Object.keys(resources(json, 'docker_network')).map((k) => `\${docker_network.${k}.name}`);
    for (const c of Object.values(containers) as any[]) {
      expect(c.network_mode).toBeUndefined();
      expect(c.links).toBeUndefined();
      expect(c.networks_advanced.length).toBeGreaterThan(0);
      for (const n of c.networks_advanced) {
        expect(networkRefs).toContain(n.name);
        expect(n.aliases).toContain(c.name);
      }
    }
    const back = Object.values(resources(json, 'docker_network')).find((n: any) => n.name === 'back') as any;
    expect(back.internal).toBe(true);
  });

  test('every container takes its image from a docker_image image_id', () => {
    const images = Object.keys(resources(json, 'docker_image'));
    for (const c of Object.values(containers) as any[]) {
      const m = /^\$\{docker_image\.([^.]+)\.image_id\}$/.exec(c.image);
      expect(m).not.toBeNull();
      expect(images).toContain(m![1]);
    }
  });

  test('every published port names its host interface', () => {
    const ports = (Object.values(containers) as any[]).flatMap((c) => c.ports ?? []);
    expect(ports).toEqual([{ internal: 80, external: 8080, ip: '0.0.0.0', protocol: 'tcp' }]);
  });

  test('every image reference is pinned', () => {
    const names = [
      ...(Object.values(resources(json, 'docker_image')) as any[]).map((i) => i.name),
      ...(Object.values(resources(json, 'docker_registry_image')) as any[]).map((i) => i.name),
    ];
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const name of names) {
      expect(name).toMatch(/:[A-Za-z0-9_][A-Za-z0-9_.-]*$|@sha256:[0-9a-f]{64}$/);
      expect(name).not.toMatch(/:latest$/);
    }
  });

  test('ordered healthy start: web after api after cache, each dependency waits for healthy', () => {
    expect(byName('web').depends_on).toEqual([addressOf('api')]);
    expect(byName('api').depends_on).toEqual([addressOf('cache')]);
    expect(byName('cache').depends_on).toBeUndefined();
  });

  test('cache keeps its data on a named volume', () => {
    const [volumeKey] = Object.keys(resources(json, 'docker_volume'));
    expect(byName('cache').volumes).toEqual([{ volume_name: `\${docker_volume.${volumeKey}.name}`, container_path: '/data', read_only: false }]);
  });

  test('the api image is built on a small base and pushed with keep_remotely and an image-id trigger', () => {
    const apiImage = (Object.values(resources(json, 'docker_image')) as any[]).find((i) => i.build);
    expect(apiImage.build.label['org.opencontainers.image.base.name']).toMatch(/^busybox:/);
    const pushes = Object.values(resources(json, 'docker_registry_image')) as any[];
    expect(pushes).toHaveLength(1);
    expect(pushes[0].keep_remotely).toBe(true);
    const [imageKey] = Object.keys(resources(json, 'docker_image')).filter((k) => resources(json, 'docker_image')[k].build);
    expect(pushes[0].triggers).toEqual({ image_id: `\${docker_image.${imageKey}.image_id}` });
  });

  test('the registry address comes from REGISTRY_ADDRESS with a local plain-HTTP default', () => {
    // The scheme reaches the provider (it speaks HTTPS otherwise); the pushed reference names the host only.
    expect(json.provider.docker[0].registry_auth[0].address).toBe('http://localhost:5000');
    expect((Object.values(resources(json, 'docker_registry_image')) as any[])[0].name).toBe('localhost:5000/team/api:1.4.2');
    process.env.REGISTRY_ADDRESS = 'registry.example.com:5443';
    try {
      const other = synthReference();
      expect(other.provider.docker[0].registry_auth[0].address).toBe('registry.example.com:5443');
      expect((Object.values(resources(other, 'docker_registry_image')) as any[])[0].name).toBe('registry.example.com:5443/team/api:1.4.2');
    } finally {
      delete process.env.REGISTRY_ADDRESS;
    }
  });
});

describe('rebuild trigger of the api build context', () => {
  const source = path.join(__dirname, '..', 'examples', 'reference-app', 'api');
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'api-ctx-'));
  fs.cpSync(source, copy, { recursive: true });
  const trigger = () => {
    const images = resources(synthReference({ apiContext: copy }), 'docker_image');
    return (Object.values(images) as any[]).find((i) => i.build).triggers.context_sha256 as string;
  };

  test('unchanged content re-synthesizes to the same trigger', () => {
    expect(trigger()).toBe(trigger());
  });

  test('a file .dockerignore excludes does not change it', () => {
    const before = trigger();
    fs.appendFileSync(path.join(copy, 'NOTES.md'), 'one more line\n');
    expect(trigger()).toBe(before);
  });

  test('one changed byte in the context changes it', () => {
    const before = trigger();
    const file = path.join(copy, 'www', 'health');
    const bytes = fs.readFileSync(file);
    bytes[0] = bytes[0] ^ 1;
    fs.writeFileSync(file, bytes);
    expect(trigger()).not.toBe(before);
  });
});

describe('cdktf synth of the reference app (the CLI, as a user runs it)', () => {
  test('writes cdk.tf.json offline and never the registry password', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    const secret = `pw-${process.pid}-${Date.now()}-unique`;
    execFileSync(path.join(__dirname, '..', 'node_modules', '.bin', 'cdktf'), ['synth', '--output', out], {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, CHECKPOINT_DISABLE: '1', REGISTRY_PASSWORD: secret, TF_VAR_REGISTRY_PASSWORD: secret },
      stdio: 'pipe',
    });
    const stackFile = path.join(out, 'stacks', 'reference-app', 'cdk.tf.json');
    expect(fs.existsSync(stackFile)).toBe(true);
    const all: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else all.push(fs.readFileSync(p, 'latin1'));
      }
    };
    walk(out);
    expect(all.length).toBeGreaterThan(1);
    expect(all.some((text) => text.includes(secret))).toBe(false);
    expect(JSON.parse(fs.readFileSync(stackFile, 'utf8')).provider.docker[0].registry_auth[0].password).toBe('${var.REGISTRY_PASSWORD}');
  });
});
