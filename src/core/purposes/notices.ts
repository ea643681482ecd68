// What the purposes' notices share: the conflicts sentence, the DNS records left to create by hand,
// and the announcement of a load balancer that serves.
import type { ApplyResult } from '../apply/applyTypes';
import { dnsRecordLine } from '../findings/format';
import type { Plan } from '../plan/types';
import type { Notice, Offer } from './purpose';

/** The conflicts of a plan that cannot be applied, one sentence; `hint` and `offers` say what may resolve them. */
export function conflictNotice(plan: Plan, hint = '', offers: Offer[] = []): Notice {
  const text = plan.steps.filter((s) => s.action === 'conflict').map((s) => `${s.name}: ${(s.differences ?? []).join('; ')}`);
  return {
    severity: 'error',
    message: `The plan conflicts with what exists in ${plan.project}: ${text.join(' | ')}. Nothing was changed; the preview shows what to resolve.${hint}`,
    offers,
  };
}

/** The A (and AAAA) records of the plan's domains that the run did not write in Cloud DNS. */
export function recordsByHand(plan: Plan, result: ApplyResult): string[] {
  // What the run wrote in Cloud DNS needs no hand.
  const written = new Set(
    result.steps
      .filter((s) => s.kind === 'dnsRecord' && s.outcome !== 'failed' && s.outcome !== 'skipped' && s.outcome !== 'cancelled')
      .map((s) => s.name),
  );
  return plan.domains
    .filter((d) => !written.has(d))
    .flatMap((d) => [
      ...(result.ip ? [dnsRecordLine(d, 'A', result.ip)] : []),
      ...(result.ipv6 ? [dnsRecordLine(d, 'AAAA', result.ipv6)] : []),
    ]);
}

/**
 * A load balancer that now serves the plan's service: `message` (given the records to create by hand),
 * then Copy DNS Records (when `copy` and there are some), Show in Explorer and Undo.
 */
export function servingAnnouncement(
  plan: Plan,
  result: ApplyResult,
  message: (records: string[]) => string,
  options: { copy: boolean },
): Notice {
  const records = recordsByHand(plan, result);
  return {
    severity: 'information',
    message: message(records),
    offers: [
      ...(records.length && options.copy ? [{ label: 'Copy DNS Records', followUp: { kind: 'copyDnsRecords', records } } as const] : []),
      {
        label: 'Show in Explorer',
        followUp: {
          kind: 'showInExplorer',
          loadBalancerId: result.ip ? `projects/${plan.project}/global/loadBalancers/${result.ip}` : undefined,
        },
      },
      { label: 'Undo', followUp: { kind: 'undo' } },
    ],
  };
}
