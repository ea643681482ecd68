// The default project, found the way gcloud finds it, without shelling out to gcloud
// (GoogleAuth.getProjectId() does, and probes the metadata server: seconds at startup).
import * as path from 'path';

export interface ProjectLookupEnvironment {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  homedir: string;
  readFile: (file: string) => string | undefined;
}

export interface ResolvedProject {
  project?: string;
  /** Where it came from, for the log and the explorer's tooltip. */
  source: string;
}

const ENV_VARS = ['CLOUDSDK_CORE_PROJECT', 'GOOGLE_CLOUD_PROJECT', 'GCLOUD_PROJECT'];

export function gcloudConfigDir(env: ProjectLookupEnvironment): string {
  if (env.env.CLOUDSDK_CONFIG) return env.env.CLOUDSDK_CONFIG;
  if (env.platform === 'win32') return path.join(env.env.APPDATA ?? path.join(env.homedir, 'AppData', 'Roaming'), 'gcloud');
  return path.join(env.homedir, '.config', 'gcloud');
}

/** `[section] key = value` lines of a gcloud properties file. */
export function readIniValue(text: string, section: string, key: string): string | undefined {
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = line.match(/^\[(.+)\]$/);
    if (header) {
      current = header[1].trim();
      continue;
    }
    const pair = line.match(/^([^=:]+)[=:](.*)$/);
    if (current === section && pair && pair[1].trim() === key) return pair[2].trim() || undefined;
  }
  return undefined;
}

export function resolveDefaultProject(env: ProjectLookupEnvironment, override?: string): ResolvedProject {
  if (override?.trim()) return { project: override.trim(), source: 'setting cloudRunGlobal.project' };
  for (const name of ENV_VARS) {
    const value = env.env[name]?.trim();
    if (value) return { project: value, source: `environment variable ${name}` };
  }
  const dir = gcloudConfigDir(env);
  const configName = env.env.CLOUDSDK_ACTIVE_CONFIG_NAME?.trim() || env.readFile(path.join(dir, 'active_config'))?.trim() || 'default';
  const configFile = path.join(dir, 'configurations', `config_${configName}`);
  const text = env.readFile(configFile);
  const project = text ? readIniValue(text, 'core', 'project') : undefined;
  if (project) return { project, source: `gcloud configuration "${configName}"` };
  return { source: text ? `gcloud configuration "${configName}" has no project` : 'no gcloud configuration found' };
}

export const PROJECT_ID_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

export function projectHelp(): string {
  return 'Choose a project with "Cloud Run Global: Switch Project", set `cloudRunGlobal.project`, or run `gcloud config set project PROJECT_ID`.';
}
