// Allow Public Access as a use case: confirm what the grant means (anyone may call the service; IAP is
// the alternative), add roles/run.invoker for allUsers region by region as gcloud does (read, add, write
// back with the etag), then have the live model re-read the policies. No vscode: the person is reached through FlowUi.
import type { RunClient } from '../gcp/run';
import type { ProjectModel } from '../model/projectModel';
import type { FlowUi } from './flowUi';

/** A Cloud Run service and the regions whose policies get the binding. */
export interface PublicAccessTarget {
  service: string;
  regions: string[];
}

export interface AllowPublicAccessDeps {
  run: Pick<RunClient, 'addInvoker'>;
  model: Pick<ProjectModel, 'afterWrite'>;
  ui: FlowUi;
}

/** Per region, whether the binding was added (false: the service was public there already). */
export type PublicAccessResult = { region: string; changed: boolean }[];

/**
 * Grants public access, after the person confirms (unless `confirmed`: the caller asked already).
 * Undefined when the person declined.
 */
export async function allowPublicAccessFlow(
  target: PublicAccessTarget,
  deps: AllowPublicAccessDeps,
  options: { confirmed?: boolean } = {},
): Promise<PublicAccessResult | undefined> {
  const { service, regions } = target;
  if (!options.confirmed) {
    const detail = [
      `This grants roles/run.invoker to allUsers on ${service} in ${regions.join(', ')} (read, add the binding, write back with the policy's etag):`,
      'anyone may then call the service, through the load balancer and, unless its ingress setting forbids it, through its run.app URL.',
      '',
      'If only signed-in users should reach it, turn on Identity-Aware Proxy (IAP) on the backend service instead.',
    ].join('\n');
    if (!(await deps.ui.confirm(`Allow public access to Cloud Run service ${service}?`, detail, 'Allow Public Access'))) return undefined;
  }
  const results: PublicAccessResult = [];
  try {
    for (const region of regions) results.push({ region, changed: (await deps.run.addInvoker(region, service)).changed });
  } finally {
    // What was granted before a failure shows too.
    await deps.model.afterWrite(['iam']);
  }
  const changed = results.filter((r) => r.changed).map((r) => r.region);
  const message = changed.length
    ? `Cloud Run service ${service} is now public in ${changed.join(', ')} (roles/run.invoker for allUsers).`
    : `Cloud Run service ${service} was already public in ${regions.join(', ')}.`;
  deps.ui.log(message);
  deps.ui.info(message);
  return results;
}
