import type { cloudresourcemanager_v1 } from 'googleapis/build/src/apis/cloudresourcemanager/v1';
import { callGoogle, RequestContext } from './request';

export interface ProjectSummary {
  id: string;
  name?: string;
  number?: string;
}

/** The projects the caller can see (Cloud Resource Manager), active ones only, by ID. */
export async function listProjects(
  resourceManager: () => Promise<cloudresourcemanager_v1.Cloudresourcemanager>,
  context: Omit<RequestContext, 'project'>,
  signal?: AbortSignal,
): Promise<ProjectSummary[]> {
  const api = await resourceManager();
  const projects: ProjectSummary[] = [];
  let pageToken: string | undefined;
  do {
    const data = await callGoogle({ ...context, project: '' }, { action: 'list your projects', repeatable: true, signal }, (s) =>
      api.projects.list({ filter: 'lifecycleState:ACTIVE', pageSize: 500, ...(pageToken ? { pageToken } : {}) }, { signal: s }),
    );
    for (const p of data.projects ?? [])
      if (p.projectId) projects.push({ id: p.projectId, name: p.name ?? undefined, number: p.projectNumber ?? undefined });
    pageToken = data.nextPageToken ?? undefined;
  } while (pageToken);
  return projects.sort((a, b) => a.id.localeCompare(b.id));
}
