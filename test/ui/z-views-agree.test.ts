// Every view tells the same truth: a change made behind the extension's back (a certificate going
// ACTIVE, a forwarding rule deleted) reaches the CodeLens, the explorer and the Problems panel together.
// Runs last (files run in name order): it makes certificates activate at once in the shared emulator.
import * as assert from 'node:assert/strict';
import { uiSession } from '../harness/ui-session';
import { sharedWorkbench, Workbench } from './workbench';

const ROUND_TIMEOUT_MS = 60_000;
const TOGETHER_MS = 5_000;

interface Surface {
  name: string;
  shows: () => Promise<boolean>;
}

/** Polls every surface until all show the new state; returns when each first did, in ms from the start. */
async function whenEachShows(surfaces: Surface[]): Promise<Record<string, number>> {
  const started = Date.now();
  const seen: Record<string, number> = {};
  while (Object.keys(seen).length < surfaces.length) {
    if (Date.now() - started > ROUND_TIMEOUT_MS)
      throw new Error(`after ${ROUND_TIMEOUT_MS} ms only ${Object.keys(seen).join(', ') || 'nothing'} showed the change`);
    for (const surface of surfaces) {
      if (seen[surface.name] === undefined && (await surface.shows())) seen[surface.name] = Date.now() - started;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return seen;
}

function spread(times: Record<string, number>): number {
  const values = Object.values(times);
  return Math.max(...values) - Math.min(...values);
}

describe('One live model behind every view', () => {
  let workbench: Workbench;
  const environment = () => uiSession().environment;
  const compute = (path: string, init?: RequestInit) =>
    fetch(`${environment().emulator.url}compute/v1/projects/demo-project/global/${path}`, {
      ...init,
      headers: { authorization: 'Bearer ui-test', 'content-type': 'application/json' },
    });

  before(async () => {
    await environment().emulator.control.reset('demo');
    await environment().emulator.control.setCertificateTiming({ activationDelayMs: 0 });
    workbench = await sharedWorkbench();
    await workbench.runCommand('Cloud Run Global: Refresh');
  });
  after(async () => {
    await environment().emulator.control.reset('demo');
    await workbench.runCommand('Cloud Run Global: Refresh');
  });

  it('shows a forwarding rule deleted behind its back, then the certificate going ACTIVE, in the lens, the explorer and Problems together', async () => {
    await workbench.quickOpen('services.yaml');
    await workbench.openProblems();
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.waitForProblem('dns-missing-a', 30_000);
    await workbench.waitForTreeRow('api-url-map', 30_000);
    const lenses = () => workbench.codeLensTexts(1_000);
    assert.ok(
      (await lenses()).some((l) => /api\.example\.com · certificate PROVISIONING/.test(l)),
      (await lenses()).join('\n'),
    );

    // 1. The HTTPS rule goes, as if deleted in the Console.
    const rule = await (await compute('forwardingRules/api-https-rule')).json();
    assert.equal((await compute('forwardingRules/api-https-rule', { method: 'DELETE' })).status, 200);
    const ruleGone = await whenEachShows([
      { name: 'lens', shows: async () => !(await lenses()).some((l) => /api\.example\.com/.test(l)) },
      { name: 'explorer', shows: async () => !(await workbench.treeRows()).some((r) => /^\s*api-url-map — .*certificate/.test(r)) },
      { name: 'problems', shows: async () => (await workbench.problemRows()).some((r) => /cert-not-served|cert-no-443-rule/.test(r)) },
    ]);
    console.log(`      rule deleted: ${JSON.stringify(ruleGone)} ms, spread ${spread(ruleGone)} ms`);
    await workbench.screenshot('ui-live-model-rule-deleted');
    assert.ok(spread(ruleGone) <= TOGETHER_MS, JSON.stringify(ruleGone));

    // 2. It comes back, and the DNS record is created: the certificate can become ACTIVE.
    const { name, IPAddress, portRange, loadBalancingScheme, target } = rule as Record<string, string>;
    assert.equal(
      (
        await compute('forwardingRules', {
          method: 'POST',
          body: JSON.stringify({ name, IPAddress, portRange, loadBalancingScheme, target }),
        })
      ).status,
      200,
    );
    await environment().emulator.control.setDnsRecord({ name: 'api.example.com', type: 'A', values: ['34.120.10.30'] });
    const active = await whenEachShows([
      { name: 'lens', shows: async () => (await lenses()).some((l) => /api\.example\.com · certificate ACTIVE/.test(l)) },
      // A load balancer row names its certificate only while something is wrong with it.
      {
        name: 'explorer',
        shows: async () => (await workbench.treeRows()).some((r) => /^\s*api-url-map — 34\.120\.10\.30 · HTTPS$/.test(r)),
      },
      {
        name: 'problems',
        shows: async () => {
          const rows = await workbench.problemRows();
          // The ingress finding depends on an ACTIVE certificate: it arrives with the rest.
          return !rows.some((r) => /dns-missing-a|cert-provisioning/.test(r)) && rows.some((r) => /ingress-all-bypass/.test(r));
        },
      },
    ]);
    console.log(`      certificate ACTIVE: ${JSON.stringify(active)} ms, spread ${spread(active)} ms`);
    await workbench.screenshot('ui-live-model-active');
    assert.ok(spread(active) <= TOGETHER_MS, JSON.stringify(active));
  });
});
