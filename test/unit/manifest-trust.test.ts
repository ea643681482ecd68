import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Property {
  type?: string | string[];
  scope?: string;
  markdownDescription?: string;
  description?: string;
}
interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, Property> }; commands: Array<{ command: string }> };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as Manifest;
const properties = manifest.contributes.configuration.properties;

describe('package.json: what a workspace may decide', () => {
  it('lets only the user (or the remote machine) set where requests and credentials go', () => {
    for (const key of ['cloudRunGlobal.endpoint', 'cloudRunGlobal.endpointCredentials', 'cloudRunGlobal.dnsServers']) {
      assert.equal(properties[key]?.scope, 'machine', `${key} must be machine-scoped`);
    }
  });

  it('keeps the project settable per workspace', () => {
    assert.ok(['window', 'resource'].includes(properties['cloudRunGlobal.project']?.scope ?? 'window'));
  });

  it('declares limited support for untrusted workspaces, with what is limited', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted?.description ?? '', /Restricted Mode.*no request/);
    assert.deepEqual(untrusted?.restrictedConfigurations, ['cloudRunGlobal.project']);
  });

  it('has no string setting that holds a secret', () => {
    const secretish = Object.keys(properties).filter((key) =>
      /token|secret|password|credential(?!s$)|key$/i.test(key.replace(/^cloudRunGlobal\./, '')),
    );
    assert.deepEqual(secretish, [], 'a secret belongs in SecretStorage');
    for (const [key, property] of Object.entries(properties)) {
      if (property.type === 'string' && key !== 'cloudRunGlobal.endpointCredentials') {
        assert.doesNotMatch(
          `${property.markdownDescription ?? property.description}`,
          /\btoken\b(?! is)/i,
          `${key} reads like it holds a token`,
        );
      }
    }
  });

  it('contributes the commands that set and clear the endpoint token', () => {
    const commands = manifest.contributes.commands.map((c) => c.command);
    for (const command of [
      'cloudRunGlobal.setEndpointToken',
      'cloudRunGlobal.clearEndpointToken',
      'cloudRunGlobal.moveEndpointTokenFromSettings',
    ])
      assert.ok(commands.includes(command), command);
  });
});
