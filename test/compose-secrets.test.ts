/**
 * Secrets that a compose file takes from the environment (or the `.env` file beside it) never
 * reach the synthesized JSON: a secret-looking variable whose value is interpolated, or passed
 * through from the environment by name, becomes a sensitive Terraform variable read at deploy
 * time. A secret inside a larger value is refused; one written in the compose file stays as it
 * is, for the review to report.
 */
import 'cdktf/lib/testing/adapters/jest';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { ComposeProject, DockerHost, ValidationError } from '../lib';

const fixture = (name: string) => path.join(__dirname, 'fixtures', 'compose', name, 'compose.yaml');

function synth(name: string, environment: Record<string, string> = {}): { text: string; json: any; project: ComposeProject } {
  const stack = new TerraformStack(Testing.app(), 'test');
  new DockerHost(stack, 'host');
  const project = new ComposeProject(stack, 'proj', { file: fixture(name), environment });
  const text = Testing.synth(stack, true);
  return { text, json: JSON.parse(text), project };
}

const container = (json: any, name: string) => Object.values(json.resource.docker_container as Record<string, any>).find((c) => c.name === name);

describe('secrets from the environment', () => {
  const { text, json, project } = synth('secret-env', { API_TOKEN: 'process-env-token-51d2' });

  test('their values are in no part of the synthesized JSON', () => {
    for (const value of ['dotenv-secret-7f3a', 'dotenv-replication-9c1e', 'process-env-token-51d2']) expect(text).not.toContain(value);
  });

  test('each becomes a sensitive Terraform variable named after the variable it came from', () => {
    expect(Object.keys(json.variable).sort()).toEqual(['API_TOKEN', 'POSTGRES_PASSWORD', 'REPLICATION_SECRET']);
    for (const v of Object.values(json.variable) as any[]) expect(v).toMatchObject({ type: 'string', sensitive: true });
    expect(container(json, 'secret-env-db-1').env).toEqual([
      'PGDATA=/var/lib/postgresql/data/pgdata',
      'POSTGRES_PASSWORD=${var.POSTGRES_PASSWORD}',
      'POSTGRES_USER=app',
      'REPLICA_KEY=${var.REPLICATION_SECRET}',
    ]);
    expect(container(json, 'secret-env-api-1').env).toEqual([
      'API_TOKEN=${var.API_TOKEN}',
      'DB_PASSWORD=${var.POSTGRES_PASSWORD}',
      'LITERAL_PASSWORD=written-in-the-file',
      'LOG_LEVEL=info',
    ]);
  });

  test('each is recorded with where it came from', () => {
    const notes = project.notes.filter((n) => n.message.includes('sensitive Terraform variable')).map((n) => n.keyPath).sort();
    expect(notes).toEqual([
      'services.api.environment[0]', 'services.api.environment[1]', 'services.db.environment.POSTGRES_PASSWORD', 'services.db.environment.REPLICA_KEY',
    ]);
  });

  test('a secret inside a larger value is refused with the file, line and key path', () => {
    let thrown: unknown;
    try {
      synth('secret-env-composite', { DB_PASSWORD: 'composite-secret-0b7e' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const message = (thrown as Error).message;
    expect(message).toMatch(/secret-env-composite\/compose\.yaml:5:\d+ services\.api\.environment\.DATABASE_URL/);
    expect(message).toContain('interpolated from DB_PASSWORD');
    expect(message).not.toContain('composite-secret-0b7e');
  });
});
