// Global forwarding rules: the load balancer's IP and port, in front of a target proxy.
import { addressIp, createOrAdopt } from '../apply/stepTools';
import { withAddressIp } from '../plan/differences';
import { hclString } from '../plan/hcl';
import { lastPart } from '../gcp/refs';
import { gcloudGroup, loadBalancingPage, type KindDeclaration } from './kind';

const kind = {
  kind: 'forwardingRule',
  label: 'forwarding rule',
  plural: 'forwarding rules',
  collection: 'forwardingRules',
  gcloud: 'compute forwarding-rules',
  regional: false,
  deletePhase: 0,
  consolePath: loadBalancingPage('advanced/globalForwardingRules/details'),
  compute: { collection: 'forwardingRules', param: 'forwardingRule', regional: false, api: (c) => c.globalForwardingRules },
} satisfies Omit<KindDeclaration, 'steps'>;

export const forwardingRule: KindDeclaration = {
  ...kind,
  steps: [
    {
      step: 'forwardingRule',
      describe: (s) =>
        `forwarding rule ${s.name}: ${lastPart(s.body.IPAddress)} port ${String(s.body.portRange).split('-')[0]} → ${lastPart(s.body.target)}`,
      gcloud(step, context) {
        const target = String(step.body.target);
        const targetFlag = target.includes('/targetHttpsProxies/')
          ? `--target-https-proxy=${lastPart(target)}`
          : `--target-http-proxy=${lastPart(target)}`;
        return {
          command: [...gcloudGroup(kind), 'create', step.name],
          flags: [
            `--address=${context.addressIp(lastPart(step.body.IPAddress))}`,
            '--global',
            targetFlag,
            `--ports=${String(step.body.portRange).split('-')[0]}`,
            `--load-balancing-scheme=${String(step.body.loadBalancingScheme)}`,
            `--project=${context.project}`,
          ],
        };
      },
      terraform: {
        type: 'google_compute_global_forwarding_rule',
        lines(s, t) {
          const target = String(s.body.target);
          const collection = target.includes('/targetHttpsProxies/') ? 'targetHttpsProxies' : 'targetHttpProxies';
          return t.resource([
            `name                  = ${hclString(s.name)}`,
            `ip_address            = ${t.refOrLiteral(s.body.IPAddress, 'addresses', 'address')}`,
            `ip_protocol           = ${hclString(String(s.body.IPProtocol))}`,
            `port_range            = ${hclString(String(s.body.portRange).split('-')[0])}`,
            `target                = ${t.refOrLiteral(target, collection)}`,
            `load_balancing_scheme = ${hclString(String(s.body.loadBalancingScheme))}`,
          ]);
        },
      },
      /** Created on its address's IP, as the seed does with `--address=$(… describe …)`. */
      async execute(context) {
        const ip = await addressIp(context, lastPart(context.step.body.IPAddress));
        return createOrAdopt(
          context,
          withAddressIp(context.step.body, () => ip),
        );
      },
    },
  ],
};
