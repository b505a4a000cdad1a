/**
 * ComposeProject: one mapping test per compose key family, each asserting the synthesized JSON
 * of a fixture written for it (test/fixtures/compose/).
 */
import 'cdktf/lib/testing/adapters/jest';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { ComposeProject, ComposeProjectProps, DockerHost, PortMapping, ServiceContainer, ValidationError } from '../lib';

const fixtures = path.join(__dirname, 'fixtures', 'compose');
const fixture = (name: string) => path.join(fixtures, name, 'compose.yaml');

interface Synth {
  readonly project: ComposeProject;
  readonly stack: TerraformStack;
  readonly json: () => any;
  /** The container named `name` (its `name` attribute). */
  readonly container: (name: string) => any;
}

function compose(file: string, props: Partial<ComposeProjectProps> = {}): Synth {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new DockerHost(stack, 'host');
  const project = new ComposeProject(stack, 'proj', { file, ...props });
  let cached: any;
  const json = () => (cached ??= JSON.parse(Testing.synth(stack, true)));
  const byName = (type: string, name: string) => {
    const found = Object.values(json().resource?.[type] ?? {}).filter((r: any) => r.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
    return found[0] as any;
  };
  return { project, stack, json, container: (name) => byName('docker_container', name) };
}

/** The resource address `${type}.${logical id}` of the resource named `name`. */
function address(json: any, type: string, name: string): string {
  const [id] = Object.entries(json.resource[type]).find(([, r]: [string, any]) => r.name === name) as [string, unknown];
  return `${type}.${id}`;
}

describe('the shop fixture (three services, two networks, a volume, a build, secrets)', () => {
  const env = { API_TOKEN: 'never-in-json' };
  let shop: Synth;
  beforeAll(() => {
    shop = compose(fixture('shop'), { environment: env });
  });

  test('project name from name:; container names <project>-<service>-1, in dependency order', () => {
    expect(shop.project.projectName).toBe('shop');
    expect(shop.project.serviceNames).toEqual(['cache', 'api', 'web']);
    expect(Object.values(shop.json().resource.docker_container).map((c: any) => c.name).sort()).toEqual(['shop-api-1', 'shop-cache-1', 'shop-web-1']);
  });

  test('ports: short syntax with and without host IP, long syntax with host_ip and protocol; no host IP = all interfaces, explicitly', () => {
    expect(shop.container('shop-web-1').ports).toEqual([
      { internal: 80, external: 8080, ip: '0.0.0.0', protocol: 'tcp' },
      { internal: 443, external: 8443, ip: '127.0.0.1', protocol: 'tcp' },
      { internal: 9000, external: 9000, ip: '10.0.0.5', protocol: 'udp' },
    ]);
    expect(shop.project.service('web').ports.map((p) => p.hostIp)).toEqual(['0.0.0.0', '127.0.0.1', '10.0.0.5']);
  });

  test('expose has no counterpart: recorded as a note with its place, not published', () => {
    expect(shop.container('shop-cache-1').ports).toBeUndefined();
    expect(shop.project.notes).toContainEqual(expect.objectContaining({
      keyPath: 'services.cache.expose[0]', line: 83, column: 14, message: expect.stringContaining('expose 6379: no Terraform counterpart'),
    }));
  });

  test('environment: map form with numbers and booleans as strings, env_file under it, environment winning', () => {
    const api = shop.container('shop-api-1');
    expect(api.env).toEqual(expect.arrayContaining([
      'CACHE_HOST=cache', 'PORT=8080', 'DEBUG=false', 'LOG_LEVEL=info', 'GREETING=hello world',
    ]));
    expect(api.env).not.toContain('CACHE_HOST=overridden-by-environment');
  });

  test('secrets: a file secret mounted read-only at /run/secrets/<name>, absolute; an environment secret a sensitive variable, never its value', () => {
    const api = shop.container('shop-api-1');
    expect(api.volumes).toContainEqual({
      container_path: '/run/secrets/db-password', host_path: path.join(fixtures, 'shop', 'secrets', 'db-password.txt'), read_only: true,
    });
    expect(api.env).toContain('API_TOKEN=${var.API_TOKEN}');
    expect(shop.json().variable.API_TOKEN).toMatchObject({ sensitive: true, type: 'string' });
    expect(JSON.stringify(shop.json())).not.toContain(env.API_TOKEN);
  });

  test('networks: one ServiceNetwork per network used, <project>_<key>; internal; ipam subnet; aliases; a static ipv4_address', () => {
    const nets = shop.json().resource.docker_network;
    expect(Object.values(nets).map((n: any) => n.name).sort()).toEqual(['shop_back', 'shop_front']);
    const back: any = Object.values(nets).find((n: any) => n.name === 'shop_back');
    expect(back).toMatchObject({ internal: true, ipam_config: [{ subnet: '10.20.0.0/24', gateway: '10.20.0.1' }] });
    const front = address(shop.json(), 'docker_network', 'shop_front');
    expect(shop.container('shop-web-1').networks_advanced).toEqual([{ name: `\${${front}.name}`, aliases: ['shop-web-1', 'web', 'www'] }]);
    expect(shop.container('shop-cache-1').networks_advanced).toEqual([
      { name: `\${${address(shop.json(), 'docker_network', 'shop_back')}.name}`, aliases: ['shop-cache-1', 'cache'], ipv4_address: '10.20.0.10' },
    ]);
    expect(shop.container('shop-api-1').networks_advanced.map((n: any) => n.name)).toEqual([`\${${front}.name}`, `\${${address(shop.json(), 'docker_network', 'shop_back')}.name}`]);
    // No default network: every service names its networks.
    expect(shop.project.networkNames).toEqual(['front', 'back']);
  });

  test('volumes: a named volume <project>_<key> with labels, mounted read-write; a bind with :ro made absolute', () => {
    const vol: any = Object.values(shop.json().resource.docker_volume)[0];
    expect(vol).toMatchObject({ name: 'shop_cache-data', labels: [{ label: 'tier', value: 'cache' }] });
    expect(shop.container('shop-cache-1').volumes).toEqual([
      { volume_name: `\${${address(shop.json(), 'docker_volume', 'shop_cache-data')}.name}`, container_path: '/data', read_only: false },
    ]);
    expect(shop.container('shop-web-1').volumes).toEqual([
      { host_path: path.join(fixtures, 'shop', 'static'), container_path: '/usr/share/nginx/html', read_only: true },
    ]);
  });

  test('build: long form with context relative to the file, target and list args (interpolated with a default); image names the build', () => {
    const images = shop.json().resource.docker_image;
    const api: any = Object.values(images).find((i: any) => i.name === 'shop/api:1.4.2');
    expect(api.build).toMatchObject({ context: path.join(fixtures, 'shop', 'api'), dockerfile: 'Dockerfile', target: 'runtime', build_args: { VERSION: '1.4.2' } });
    expect(api.triggers.context_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(shop.container('shop-api-1').image).toBe(`\${${address(shop.json(), 'docker_image', 'shop/api:1.4.2')}.image_id}`);
  });

  test('image: ContainerImage.fromRegistry, one docker_image per reference', () => {
    const names = Object.values(shop.json().resource.docker_image).map((i: any) => i.name).sort();
    expect(names).toEqual(['nginx:1.27-alpine', 'redis:7.4-alpine', 'shop/api:1.4.2']);
  });

  test('depends_on: list and service_healthy both order creation; a dependency with a health check is waited for', () => {
    const json = shop.json();
    expect(shop.container('shop-web-1').depends_on).toEqual([address(json, 'docker_container', 'shop-api-1')]);
    expect(shop.container('shop-api-1').depends_on).toEqual([address(json, 'docker_container', 'shop-cache-1')]);
    expect(shop.container('shop-api-1')).toMatchObject({ wait: true, wait_timeout: 60 });
    expect(shop.container('shop-cache-1')).toMatchObject({ wait: true });
    expect(shop.container('shop-web-1').wait).toBe(false);
  });

  test('healthcheck: CMD list, string form (CMD-SHELL), durations like 1m30s; library defaults for what is not given', () => {
    expect(shop.container('shop-api-1').healthcheck).toEqual({
      test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/health'], interval: '90s', timeout: '5s', start_period: '10s', retries: 3,
    });
    expect(shop.container('shop-cache-1').healthcheck).toEqual({ test: ['CMD-SHELL', 'redis-cli ping'], interval: '10s', timeout: '5s', start_period: '10s', retries: 3 });
  });

  test('command: string split with shell-word rules, list kept; user; working_dir', () => {
    expect(shop.container('shop-api-1')).toMatchObject({ command: ['serve', '--port', '8080', '--name=shop api'], user: '1000:1000', working_dir: '/app' });
    expect(shop.container('shop-cache-1').command).toEqual(['redis-server', '--appendonly', 'yes']);
  });

  test('anchors and merge keys: restart and logging from x-common; logging max-size/max-file as the library props', () => {
    for (const name of ['shop-web-1', 'shop-api-1']) {
      expect(shop.container(name)).toMatchObject({ restart: 'unless-stopped', log_driver: 'json-file', log_opts: { 'max-size': '20m', 'max-file': '5' } });
    }
    expect(shop.container('shop-cache-1').log_opts).toEqual({ 'max-size': '10m', 'max-file': '3' });
  });

  test('library defaults unless the file says otherwise: read_only: false and cap_add win; the rest stays hardened', () => {
    const api = shop.container('shop-api-1');
    expect(api.read_only).toBe(false);
    expect(api).toMatchObject({ init: true, capabilities: { drop: ['ALL'] }, security_opts: ['no-new-privileges:true'] });
    const web = shop.container('shop-web-1');
    expect(web.read_only).toBe(true);
    expect(web.capabilities).toEqual({ drop: ['ALL'], add: ['CAP_CHOWN', 'CAP_NET_BIND_SERVICE', 'CAP_SETGID', 'CAP_SETUID'] });
  });

  test('tmpfs paths are writable paths on the read-only root', () => {
    expect(shop.container('shop-web-1').tmpfs).toEqual({
      '/tmp': 'rw,noexec,nosuid,size=64m', '/var/cache/nginx': 'rw,nosuid,size=64m', '/var/run': 'rw,nosuid,size=64m',
    });
  });

  test('deploy.resources.limits: memory 1.5G = 1536 MiB (swap off), cpus', () => {
    expect(shop.container('shop-api-1')).toMatchObject({ memory: 1536, memory_swap: 1536, cpus: '0.5' });
    expect(shop.container('shop-web-1').memory).toBe(512);
  });

  test('stop_grace_period, stop_signal, sysctls, hostname, init: false, labels (list form)', () => {
    expect(shop.container('shop-cache-1')).toMatchObject({
      stop_timeout: 30, stop_signal: 'SIGINT', sysctls: { 'net.core.somaxconn': '1024' }, hostname: 'cache-host', init: false,
    });
    expect(shop.container('shop-web-1').labels).toEqual([{ label: 'shop.tier', value: 'front' }, { label: 'traefik.enable', value: 'true' }]);
  });

  test('escape hatches: service, network and volume return the constructs; unknown names list the known ones', () => {
    const web = shop.project.service('web');
    expect(web).toBeInstanceOf(ServiceContainer);
    expect(web.serviceName).toBe('shop-web-1');
    expect(shop.project.network('back').internal).toBe(true);
    expect(shop.project.volume('cache-data').node.id).toBe('volume-cache-data');
    expect(() => shop.project.service('db')).toThrow(ValidationError);
    expect(() => shop.project.service('db')).toThrow('test/proj: invalid service "db": a service of compose.yaml: one of cache, api, web');
    expect(() => shop.project.network('default')).toThrow('invalid network "default": a network of compose.yaml: one of front, back');
    expect(() => shop.project.volume('nope')).toThrow('invalid volume "nope": a volume of compose.yaml: one of cache-data');
  });
});

describe('escape hatches change the synthesized project', () => {
  test('a port added to a compose service through project.service()', () => {
    const s = compose(fixture('shop'), { environment: { API_TOKEN: 'x' } });
    s.project.service('api').addPort(PortMapping.local(18080, 8080));
    s.project.service('cache').addEnvironment('EXTRA', 'yes');
    expect(s.container('shop-api-1').ports).toEqual([{ internal: 8080, external: 18080, ip: '127.0.0.1', protocol: 'tcp' }]);
    expect(s.container('shop-cache-1').env).toEqual(['EXTRA=yes']);
  });
});

describe('the kitchen fixture (logging, privileges, devices, hosts, ulimits, long volume syntax)', () => {
  let k: Synth;
  beforeAll(() => {
    k = compose(fixture('kitchen'));
  });

  test('restart on-failure:N; entrypoint string; platform on the pulled image; digest reference', () => {
    const w = k.container('kitchen-worker-1');
    expect(w).toMatchObject({ restart: 'on-failure', max_retry_count: 3, entrypoint: ['/usr/bin/worker', '--queue', 'high prio'] });
    const img: any = Object.values(k.json().resource.docker_image).find((i: any) => i.name.startsWith('registry.example.com/'));
    expect(img).toMatchObject({ platform: 'linux/amd64', keep_locally: true });
  });

  test('keys with no construct prop are set on the L1 container (visible to the review): privileged, devices, extra_hosts, ulimits, dns, shm_size', () => {
    const w = k.container('kitchen-worker-1');
    expect(w).toMatchObject({
      privileged: true,
      devices: [{ host_path: '/dev/fuse', container_path: '/dev/fuse', permissions: 'rwm' }],
      host: [{ host: 'db.internal', ip: '10.0.0.9' }, { host: 'legacy', ip: '10.0.0.10' }],
      ulimit: [{ name: 'nofile', soft: 1024, hard: 2048 }, { name: 'nproc', soft: 512, hard: 512 }],
      dns: ['1.1.1.1'],
    });
    expect(k.container('kitchen-helper-1').shm_size).toBe(128);
  });

  test('logging: another driver with its options replaces json-file; json-file options beyond rotation are kept with it', () => {
    expect(k.container('kitchen-worker-1')).toMatchObject({ log_driver: 'syslog', log_opts: { 'syslog-address': 'udp://127.0.0.1:514' } });
    expect(k.container('kitchen-helper-1')).toMatchObject({ log_driver: 'json-file', log_opts: { 'max-size': '5m', 'max-file': '3', compress: 'true' } });
  });

  test('security_opt: no-new-privileges:false turns the default off, other options are kept; cap_drop without ALL is covered by drop ALL (noted)', () => {
    const w = k.container('kitchen-worker-1');
    expect(w.security_opts).toEqual(['apparmor=docker-default']);
    expect(w.capabilities).toEqual({ drop: ['ALL'] });
    expect(k.project.notes).toContainEqual(expect.objectContaining({ keyPath: 'services.worker.cap_drop', message: expect.stringContaining('drops ALL') }));
  });

  test('healthcheck disable: the image\'s own check is turned off (test NONE), no wait', () => {
    expect(k.container('kitchen-worker-1')).toMatchObject({ healthcheck: { test: ['NONE'] }, wait: false });
    expect(k.container('kitchen-helper-1').healthcheck).toMatchObject({ test: ['CMD-SHELL', 'test -e /tmp || exit 1'], interval: '30s' });
  });

  test('long volume syntax: bind read_only false, a named volume read-only, tmpfs with a size, an anonymous volume declared as a named one', () => {
    const w = k.container('kitchen-worker-1');
    expect(w.volumes).toEqual([
      { volume_name: `\${${address(k.json(), 'docker_volume', 'kitchen-spool')}.name}`, container_path: '/var/spool', read_only: true },
      { volume_name: `\${${address(k.json(), 'docker_volume', 'kitchen_worker_anon1')}.name}`, container_path: '/cache', read_only: false },
      { host_path: path.join(fixtures, 'kitchen', 'data'), container_path: '/data', read_only: false },
    ]);
    expect(w.tmpfs).toEqual({ '/tmp': 'rw,noexec,nosuid,size=16m', '/run': 'rw,nosuid,size=16m', '/scratch': 'rw,nosuid,size=16m' });
    expect(k.project.notes).toContainEqual(expect.objectContaining({ keyPath: 'services.worker.volumes[3]', message: expect.stringContaining('kitchen_worker_anon1') }));
  });

  test('volumes: name and driver_opts; networks: name, attachable, labels (list), driver_opts; default plus a named network', () => {
    const spool: any = Object.values(k.json().resource.docker_volume).find((v: any) => v.name === 'kitchen-spool');
    expect(spool.driver_opts).toEqual({ type: 'tmpfs', device: 'tmpfs' });
    const side: any = Object.values(k.json().resource.docker_network).find((n: any) => n.name === 'kitchen-side-net');
    expect(side).toMatchObject({ attachable: true, labels: [{ label: 'purpose', value: 'side' }], options: { 'com.docker.network.bridge.enable_icc': 'true' } });
    expect(k.container('kitchen-helper-1').networks_advanced.map((n: any) => n.aliases)).toEqual([['kitchen-helper-1', 'helper'], ['kitchen-helper-1', 'helper']]);
    expect(k.project.networkNames).toEqual(['default', 'side']);
  });

  test('deploy: replicas 1, restart_policy any = always, memory 64M; mem_limit; labels map with an empty value', () => {
    expect(k.container('kitchen-helper-1')).toMatchObject({ restart: 'always', memory: 64, memory_swap: 64, init: true });
    expect(k.container('kitchen-worker-1')).toMatchObject({ memory: 256, labels: [{ label: 'com.example.empty', value: '' }, { label: 'com.example.team', value: 'kitchen' }] });
  });

  test('build: map args (a null one from the environment, else not passed), a dockerfile of another name, target, platform; an image without tag gets the build tag', () => {
    const img: any = Object.values(k.json().resource.docker_image).find((i: any) => i.name === 'kitchen/builder:compose');
    expect(img.build).toMatchObject({
      context: path.join(fixtures, 'kitchen', 'builder'), dockerfile: 'Containerfile', target: 'final', platform: 'linux/arm64',
      build_args: { GREETING: 'hello', BASE: 'local/busybox:1.35' },
      label: { 'org.opencontainers.image.base.name': 'local/busybox:1.35' },
    });
    expect(img.platform).toBe('linux/arm64');
    expect(img.build.build_args.EMPTY).toBeUndefined();
    expect(k.project.notes).toContainEqual(expect.objectContaining({ keyPath: 'services.builder.build.args.EMPTY', message: expect.stringContaining('not passed') }));
    expect(k.project.notes).toContainEqual(expect.objectContaining({ keyPath: 'services.builder.image', message: expect.stringContaining('tagged kitchen/builder:compose') }));
  });

  test('depends_on service_started with restart: true: ordered, restart noted; x- extensions ignored', () => {
    expect(k.container('kitchen-helper-1').depends_on).toEqual([address(k.json(), 'docker_container', 'kitchen-worker-1')]);
    expect(k.project.notes).toContainEqual(expect.objectContaining({ keyPath: 'services.helper.depends_on.worker.restart', message: expect.stringContaining('no counterpart') }));
    expect(JSON.stringify(k.json())).not.toContain('team-a');
    expect(k.container('kitchen-worker-1').stop_timeout).toBe(60);
  });
});

describe('folder-named project, short build, unpinned image, bind paths', () => {
  test('an unpinned image is an error by default, naming file, line and service', () => {
    expect(() => compose(fixture('Minimal-App'))).toThrow(ValidationError);
    expect(() => compose(fixture('Minimal-App'))).toThrow(
      /^test\/proj: invalid .*Minimal-App\/compose\.yaml:13:12 services\.proxy\.image "nginx": pinned by a tag other than 'latest'.*allowUnpinnedImages: true/,
    );
  });

  test('allowUnpinnedImages accepts it as a plain docker_image (a review finding); build short form tagged <project>-<service>:compose', () => {
    const m = compose(fixture('Minimal-App'), { allowUnpinnedImages: true });
    expect(m.project.projectName).toBe('minimal-app');
    const images = Object.values(m.json().resource.docker_image) as any[];
    expect(images.map((i) => i.name).sort()).toEqual(['minimal-app-app:compose', 'nginx']);
    expect(images.find((i) => i.name === 'minimal-app-app:compose').build.context).toBe(path.join(fixtures, 'Minimal-App', 'app'));
    expect(m.project.notes).toContainEqual(expect.objectContaining({ keyPath: 'services.proxy.image', message: expect.stringContaining('not pinned') }));
  });

  test('the default network <project>_default with the service names as aliases', () => {
    const m = compose(fixture('Minimal-App'), { allowUnpinnedImages: true });
    const nets = Object.values(m.json().resource.docker_network) as any[];
    expect(nets.map((n) => n.name)).toEqual(['minimal-app_default']);
    expect(m.container('minimal-app-proxy-1').networks_advanced[0].aliases).toEqual(['minimal-app-proxy-1', 'proxy']);
    expect(m.project.network('default').node.path).toBe('test/proj/network-default');
    expect(m.project.networkNames).toEqual(['default']);
  });

  test('bind mounts: relative, ~ and absolute paths made absolute; read-only by default (noted), :rw and :ro explicit; anonymous volume', () => {
    const m = compose(fixture('Minimal-App'), { allowUnpinnedImages: true });
    const app = m.container('minimal-app-app-1');
    expect(app.volumes).toEqual([
      { volume_name: `\${${address(m.json(), 'docker_volume', 'minimal-app_app_anon1')}.name}`, container_path: '/app/node_modules', read_only: false },
      { host_path: path.join(fixtures, 'Minimal-App', 'src'), container_path: '/app/src', read_only: true },
      { host_path: path.join(os.homedir(), 'app-data'), container_path: '/data', read_only: false },
      { host_path: '/srv/shared', container_path: '/shared', read_only: true },
    ]);
    expect(m.project.notes).toContainEqual(expect.objectContaining({ keyPath: 'services.app.volumes[0]', message: expect.stringContaining("read-only (the library's default for bind mounts)") }));
    expect(m.project.notes.filter((n) => n.message.includes('bind mount'))).toHaveLength(1);
  });
});

describe('an image built by one service and run by another', () => {
  test('is the same MinimalImage, not pulled (compose does not pull what the project builds), unpinned or not', () => {
    const s = compose(fixture('reuse'));
    expect(s.project.serviceNames).toEqual(['app', 'worker']);
    const images = Object.values(s.json().resource.docker_image) as any[];
    expect(images.map((i) => i.name)).toEqual(['reuse/app:compose']);
    expect(s.container('reuse-worker-1').image).toBe(s.container('reuse-app-1').image);
    expect(s.project.notes).toContainEqual(expect.objectContaining({ keyPath: 'services.worker.image', message: 'image reuse/app is built by service app: the same built image, not pulled' }));
  });
});

describe('interpolation', () => {
  const file = fixture('interpolation');

  test('${VAR}, $VAR, :-, -, :+, +, nested, :?, $$ and the .env beside the file', () => {
    const s = compose(file, { environment: {} });
    const c = s.container('interp-cache-1');
    expect(s.project.projectName).toBe('interp');
    expect(c.ports).toEqual([{ internal: 6379, external: 6380, ip: '127.0.0.1', protocol: 'tcp' }]);
    expect(c.env).toEqual([
      'ALT=tagged', 'ALT_UNSET=[]', 'DASH_EMPTY=[]', 'DASH_UNSET=fallback', 'DEFAULT_EMPTY=fallback', 'GREETING=hi there', 'LITERAL=${NOT_EXPANDED}',
      'NESTED=7.4-alpine', 'PRICE=$5', 'REQUIRED=7.4-alpine', 'UNSET=[]',
    ]);
    expect(Object.values(s.json().resource.docker_image).map((i: any) => i.name)).toEqual(['redis:7.4-alpine']);
    expect(s.project.notes).toContainEqual(expect.objectContaining({ keyPath: 'services.cache.environment[3]', message: expect.stringContaining('COMPOSE_TEST_UNSET_VARIABLE is not set') }));
  });

  test('precedence: props.environment over the process environment over .env (and .env values see the process environment)', () => {
    process.env.TAG = '7.2-alpine';
    process.env.GREETED = 'shell';
    process.env.HOST_PORT = '6390';
    try {
      const s = compose(file, { environment: { HOST_PORT: '6400', PROJECT: 'other' } });
      const c = s.container('other-cache-1');
      expect(Object.values(s.json().resource.docker_image).map((i: any) => i.name)).toEqual(['redis:7.2-alpine']);
      expect(c.ports[0].external).toBe(6400);
      expect(c.env).toContain('GREETING=hi shell');
    } finally {
      delete process.env.TAG;
      delete process.env.GREETED;
      delete process.env.HOST_PORT;
    }
  });

  test('projectName prop over name:', () => {
    expect(compose(file, { projectName: 'given' }).project.projectName).toBe('given');
  });
});

describe('profiles', () => {
  const file = fixture('profiles');

  test('without profiles only services without profiles; a required: false dependency on a disabled one is dropped (noted)', () => {
    const p = compose(file);
    expect(p.project.serviceNames).toEqual(['app']);
    expect(p.project.notes).toContainEqual(expect.objectContaining({ keyPath: 'services.debug', message: expect.stringContaining('none of them active') }));
  });

  test('an active profile enables its services; * enables all', () => {
    expect(compose(file, { profiles: ['monitoring'] }).project.serviceNames).toEqual(['app', 'metrics']);
    const all = compose(file, { profiles: ['*'] });
    expect(all.project.serviceNames).toEqual(['app', 'debug', 'metrics']);
    expect(all.container('prof-metrics-1').depends_on).toEqual([address(all.json(), 'docker_container', 'prof-debug-1')]);
  });
});

describe('the e2e fixture synthesizes with the shapes the end-to-end tier checks', () => {
  test('127.0.0.1 port, internal network, healthy-ordered start, named volume, file secret', () => {
    const e = compose(fixture('e2e'));
    const web = e.container('compose-e2e-web-1');
    const store = e.container('compose-e2e-store-1');
    expect(web.ports).toEqual([{ internal: 8080, external: 18480, ip: '127.0.0.1', protocol: 'tcp' }]);
    expect(web.depends_on).toEqual([address(e.json(), 'docker_container', 'compose-e2e-store-1')]);
    expect(store).toMatchObject({ wait: true, memory: 32 });
    expect(store.volumes).toContainEqual(expect.objectContaining({ container_path: '/run/secrets/store-token', read_only: true }));
    expect(store.networks_advanced[0].aliases).toEqual(['compose-e2e-store-1', 'store', 'storage']);
    const back: any = Object.values(e.json().resource.docker_network).find((n: any) => n.name === 'compose-e2e_back');
    expect(back.internal).toBe(true);
    const built = Object.values(e.json().resource.docker_image).map((i: any) => i.build.label['org.opencontainers.image.base.name']);
    expect(built).toEqual(['local/busybox:1.35', 'local/busybox:1.35']);
  });
});
