// Change Domains end to end against the emulator: the flows with a scripted person, the emulator
// provisioning certificates once DNS points at the load balancer, and a sampler that reads the
// proxy all along to show it never goes without a serving certificate.
import assert from 'node:assert/strict';
import { applyPlan } from '../../src/core/apply/applyPlan';
import { ApplyHistories } from '../../src/core/flows/applyHistory';
import { finishDomainChange, planChangeDomains } from '../../src/core/flows/changeDomains';
import { planMakeGlobal } from '../../src/core/flows/makeGlobal';
import { undoPlan } from '../../src/core/flows/undoAndDelete';
import type { WizardUi } from '../../src/core/flows/wizard';
import { CloudError } from '../../src/core/gcp/errors';
import { COMPUTE_PARTS, ProjectModel } from '../../src/core/model/projectModel';
import { ScriptedPerson } from '../support/fakes';
import { Harness, PROJECT, startHarness } from './setup';

/** Answers the domains prompt with the text given; asks nothing else. */
function typing(text: string, prompts: string[] = []): WizardUi {
  return {
    setPosition: () => undefined,
    pick: () => {
      throw new Error('the wizard picked; the arguments should have answered');
    },
    text: async (options) => {
      prompts.push(`${options.prompt} [${options.value ?? ''}]`);
      const problem = options.validate(text);
      if (problem) throw new Error(problem);
      return text;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const last = (ref: string) => ref.split('/').pop() ?? '';

describe('Change Domains against the emulator', function () {
  this.timeout(60_000);
  let h: Harness;
  let model: ProjectModel;
  const compute = () => h.connection.compute(PROJECT);
  const clients = () => ({ compute: compute(), run: h.connection.run(PROJECT) });

  // Operations take a moment, as Google's do, so the sampler sees the proxy between the writes.
  before(async () => {
    h = await startHarness({ operationLatencyMs: 60, certificates: { activationDelayMs: 300 } });
  });
  after(() => h.emulator.close());
  beforeEach(async () => {
    await h.emulator.control.reset('empty');
    await h.emulator.control.loadSeed({ runServices: [{ name: 'a', region: 'us-central1' }] });
    model = new ProjectModel({
      connect: () => ({ project: PROJECT, compute: compute(), run: h.connection.run(PROJECT) }),
      resolver: () => {
        throw new Error('no DNS here');
      },
    });
  });

  async function certificateStatus(name: string): Promise<string | undefined> {
    return (await compute().find('sslCertificates', name))?.managed?.status ?? undefined;
  }

  async function waitForActive(name: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if ((await certificateStatus(name)) === 'ACTIVE') return;
      await sleep(50);
    }
    assert.fail(`${name} did not become ACTIVE: ${await certificateStatus(name)}`);
  }

  /** a.example.com served by an ACTIVE certificate, as the tutorial leaves it. */
  async function liveLoadBalancer(): Promise<{ ip: string; proxy: string; oldCertificate: string }> {
    const { plan } = await planMakeGlobal(
      {
        service: 'a',
        regions: ['us-central1'],
        domains: ['a.example.com'],
        names: {},
        options: { httpsRedirect: false, cdn: false, ipv6: false },
      },
      undefined,
      { connection: h.connection, project: PROJECT, model, ui: typing('') },
    );
    const result = await applyPlan(plan, clients());
    assert.ok(result.ok, JSON.stringify(result.steps));
    await h.emulator.control.setDnsRecord({ name: 'a.example.com', type: 'A', values: [result.ip!] });
    await waitForActive(plan.names.certificate);
    return { ip: result.ip!, proxy: plan.names.httpsProxy, oldCertificate: plan.names.certificate };
  }

  /**
   * Reads the proxy and its certificates every few milliseconds until stopped. Each sample: how many
   * certificates the proxy holds, and whether one of them is ACTIVE (serving).
   */
  function sampleProxy(proxy: string) {
    const samples: { certificates: string[]; serving: boolean }[] = [];
    let running = true;
    const done = (async () => {
      while (running) {
        const [current, certificates] = await Promise.all([
          compute().get('targetHttpsProxies', proxy),
          compute().listAll('sslCertificates'),
        ]);
        const attached = (current.sslCertificates ?? []).map(last);
        samples.push({
          certificates: attached,
          serving: certificates.some((c) => attached.includes(c.name ?? '') && c.managed?.status === 'ACTIVE'),
        });
        await sleep(5);
      }
    })();
    return {
      samples,
      stop: async () => {
        running = false;
        await done;
      },
    };
  }

  it('a.example.com → a.example.com, www.a.example.com: the proxy always serves a certificate; after finishing only the new one remains', async () => {
    const { ip, proxy, oldCertificate } = await liveLoadBalancer();
    const sampler = sampleProxy(proxy);
    try {
      const prompts: string[] = [];
      const { plan } = await planChangeDomains(
        { httpsProxy: proxy },
        { connection: h.connection, project: PROJECT, model, ui: typing('a.example.com, www.a.example.com', prompts) },
      );
      assert.match(prompts[0], /now: a\.example\.com\)\..*\[a\.example\.com\]$/, 'the prompt starts from the current domains');
      assert.ok(plan.applicable, JSON.stringify(plan.steps));
      const newCertificate = plan.domainChange!.newCertificate;
      assert.deepEqual(plan.domainChange?.oldCertificates, [oldCertificate]);

      const histories = new ApplyHistories();
      const result = await applyPlan(plan, clients());
      assert.ok(result.ok, JSON.stringify(result.steps));
      assert.deepEqual(
        result.steps.map((s) => [s.stepId, s.outcome]),
        [
          ['cert', 'created'],
          ['attach-cert', 'updated'],
        ],
      );
      histories.record('change', plan, result);
      assert.deepEqual(((await compute().get('targetHttpsProxies', proxy)).sslCertificates ?? []).map(last), [
        oldCertificate,
        newCertificate,
      ]);
      assert.equal(await certificateStatus(newCertificate), 'PROVISIONING', 'www.a.example.com has no DNS record yet');

      // Finishing now would leave www.a.example.com (and, after the delete, a.example.com) without a certificate: refused, nothing changed.
      const person = new ScriptedPerson([true]);
      await assert.rejects(
        finishDomainChange({ httpsProxy: proxy }, { model, compute: compute(), ui: person }),
        (err: unknown) =>
          err instanceof CloudError &&
          /is PROVISIONING .*nothing was changed/.test(err.message) &&
          /wait until it is ACTIVE/.test(err.remedy ?? ''),
      );
      assert.equal(person.asked.length, 0, 'not even asked');
      assert.deepEqual(((await compute().get('targetHttpsProxies', proxy)).sslCertificates ?? []).map(last), [
        oldCertificate,
        newCertificate,
      ]);

      await h.emulator.control.setDnsRecord({ name: 'www.a.example.com', type: 'A', values: [ip] });
      await waitForActive(newCertificate);
      const report = await finishDomainChange({ httpsProxy: proxy }, { model, compute: compute(), ui: person });
      assert.equal(person.asked.length, 1);
      assert.match(
        person.asked[0].detail,
        new RegExp(
          `Certificate ${newCertificate} \\(a\\.example\\.com, www\\.a\\.example\\.com\\) is ACTIVE\\.[\\s\\S]*• ${oldCertificate}`,
        ),
      );
      assert.deepEqual(report, {
        httpsProxy: proxy,
        certificate: newCertificate,
        detached: [oldCertificate],
        deleted: [oldCertificate],
        kept: [],
      });
      assert.deepEqual(((await compute().get('targetHttpsProxies', proxy)).sslCertificates ?? []).map(last), [newCertificate]);
      assert.equal(await compute().find('sslCertificates', oldCertificate), undefined, 'the old certificate is deleted');
      assert.deepEqual(
        model.topology?.loadBalancers.map((lb) => lb.domains),
        [['a.example.com', 'www.a.example.com']],
        'the model re-read after the write',
      );

      // Undo after the finish would leave the proxy without a certificate: it keeps the new one and says why.
      const undo = await undoPlan(histories.find('change')!, histories, { model, compute: compute(), ui: new ScriptedPerson([true]) });
      assert.deepEqual(undo?.deleted, []);
      assert.match(undo?.kept.map((k) => k.reason).join() ?? '', new RegExp(`${newCertificate} is kept: the domain change was finished`));
      assert.deepEqual(((await compute().get('targetHttpsProxies', proxy)).sslCertificates ?? []).map(last), [newCertificate]);
      assert.equal(histories.find('change'), undefined, 'nothing left to undo');
    } finally {
      await sampler.stop();
    }
    const { samples } = sampler;
    const both = samples.filter((s) => s.certificates.length === 2).length;
    console.log(
      `      ${samples.length} samples of the proxy: ${samples.length - both} with one certificate, ${both} with both; none without an ACTIVE one`,
    );
    assert.ok(samples.length >= 20, `${samples.length} samples`);
    assert.deepEqual(
      samples.filter((s) => !s.certificates.length || !s.serving),
      [],
      'every sample: at least one certificate, one of them ACTIVE',
    );
    // The sampler saw each phase, in order: the old certificate alone, both, the new one alone.
    const phases = samples.map((s) => s.certificates.join(',')).filter((shape, i, all) => i === 0 || shape !== all[i - 1]);
    assert.equal(phases.length, 3, phases.join(' → '));
    assert.deepEqual(
      phases.map((p) => p.split(',').length),
      [1, 2, 1],
    );
  });

  it('Undo before finishing detaches and deletes the new certificate; the old one serves as before', async () => {
    const { proxy, oldCertificate } = await liveLoadBalancer();
    const { plan } = await planChangeDomains(
      { httpsProxy: proxy, domains: ['a.example.com', 'www.a.example.com'] },
      { connection: h.connection, project: PROJECT, model, ui: typing('') },
    );
    const histories = new ApplyHistories();
    const result = await applyPlan(plan, clients());
    assert.ok(result.ok);
    const history = histories.record('change', plan, result);
    const person = new ScriptedPerson([true]);
    const report = await undoPlan(history, histories, { model, compute: compute(), ui: person });
    assert.match(
      person.asked[0].detail,
      new RegExp(`detach ${plan.domainChange!.newCertificate} from ${proxy} \\(the old certificate stays\\)`),
    );
    assert.deepEqual(report?.failed, []);
    assert.deepEqual(
      report?.deleted.map((r) => r.name),
      [plan.domainChange!.newCertificate],
    );
    assert.deepEqual(((await compute().get('targetHttpsProxies', proxy)).sslCertificates ?? []).map(last), [oldCertificate]);
    assert.equal(await certificateStatus(oldCertificate), 'ACTIVE');
    assert.equal(await compute().find('sslCertificates', plan.domainChange!.newCertificate), undefined);
  });

  it('finishing detaches an old certificate another proxy still serves, and keeps it', async () => {
    const { ip, proxy, oldCertificate } = await liveLoadBalancer();
    const live = await compute().get('targetHttpsProxies', proxy);
    await compute().insert('targetHttpsProxies', {
      name: 'other-https-proxy',
      urlMap: live.urlMap!,
      sslCertificates: live.sslCertificates!,
    });
    const { plan } = await planChangeDomains(
      { httpsProxy: proxy, domains: ['a.example.com', 'www.a.example.com'] },
      { connection: h.connection, project: PROJECT, model, ui: typing('') },
    );
    assert.ok((await applyPlan(plan, clients())).ok);
    await h.emulator.control.setDnsRecord({ name: 'www.a.example.com', type: 'A', values: [ip] });
    await waitForActive(plan.domainChange!.newCertificate);
    const report = await finishDomainChange(
      { httpsProxy: proxy, confirmed: true },
      { model, compute: compute(), ui: new ScriptedPerson() },
    );
    assert.deepEqual([report?.detached, report?.deleted, report?.kept], [[oldCertificate], [], [oldCertificate]]);
    assert.ok(await compute().find('sslCertificates', oldCertificate), 'still there for the other proxy');
    assert.deepEqual(((await compute().get('targetHttpsProxies', 'other-https-proxy')).sslCertificates ?? []).map(last), [oldCertificate]);
  });

  it("finds the load balancer from the service's YAML; a gone load balancer, and a finish with nothing pending, say what to do", async () => {
    const { proxy } = await liveLoadBalancer();
    const flow = { connection: h.connection, project: PROJECT, model, ui: typing('a.example.com, www.a.example.com') };
    const { plan } = await planChangeDomains({ service: 'a' }, flow);
    assert.equal(plan.domainChange?.httpsProxy, proxy, 'no pick: one load balancer fronts a');
    await assert.rejects(
      planChangeDomains({ loadBalancerId: `projects/${PROJECT}/global/loadBalancers/34.1.2.3` }, flow),
      /That load balancer no longer exists\. Refresh the explorer\./,
    );
    await assert.rejects(
      planChangeDomains({ httpsProxy: 'nope-https-proxy', domains: ['b.example.com'] }, flow),
      /Target HTTPS proxy nope-https-proxy does not exist in demo-project\. Refresh the explorer/,
    );
    await assert.rejects(
      planChangeDomains({ httpsProxy: proxy, domains: ['https://b.example.com/'] }, flow),
      /domains\[0\]: Remove the scheme: enter b\.example\.com/,
    );
    await assert.rejects(
      finishDomainChange({ httpsProxy: proxy }, { model, compute: compute(), ui: new ScriptedPerson([true]) }),
      (err: unknown) =>
        err instanceof CloudError &&
        /no domain change to finish here/.test(err.message) &&
        /Run "Change Domains…" first/.test(err.remedy ?? ''),
    );
  });

  it('the same domains, and a proxy at the 15-certificate limit, are refused with what to do', async () => {
    const { proxy } = await liveLoadBalancer();
    await assert.rejects(
      planChangeDomains(
        { httpsProxy: proxy, domains: ['A.example.com'] },
        { connection: h.connection, project: PROJECT, model, ui: typing('') },
      ),
      /already serves exactly these domains with certificate .*Enter the domain list you want instead/,
    );
    // Fill the proxy up to Google's limit with other certificates.
    const extra = [];
    for (let i = 1; i < 15; i++) {
      extra.push(
        (await compute().insert('sslCertificates', { name: `extra-${i}`, type: 'MANAGED', managed: { domains: [`d${i}.example.com`] } }))
          .resource.selfLink!,
      );
    }
    const current = (await compute().get('targetHttpsProxies', proxy)).sslCertificates ?? [];
    await compute().setSslCertificates(proxy, [...current, ...extra]);
    await model.afterWrite(COMPUTE_PARTS);
    const { plan } = await planChangeDomains(
      { httpsProxy: proxy, domains: ['a.example.com', 'www.a.example.com'] },
      { connection: h.connection, project: PROJECT, model, ui: typing('') },
    );
    assert.equal(plan.applicable, false);
    assert.deepEqual(plan.steps.find((s) => s.id === 'attach-cert')?.differences, [
      `target HTTPS proxy ${proxy} holds 15 certificates; Google allows at most 15`,
    ]);
    // Applying it anyway (a plan made before the proxy filled up) stops before any change.
    const result = await applyPlan(
      {
        ...plan,
        steps: plan.steps.map((s) => ({ ...s, action: s.id === 'attach-cert' ? ('update' as const) : s.action })),
        applicable: true,
      },
      clients(),
    );
    assert.equal(result.ok, false);
    assert.match(
      result.steps.find((s) => s.stepId === 'attach-cert')?.message ?? '',
      /already holds 15 certificates, Google's limit \(15\)/,
    );
    assert.equal(((await compute().get('targetHttpsProxies', proxy)).sslCertificates ?? []).length, 15);
  });
});
