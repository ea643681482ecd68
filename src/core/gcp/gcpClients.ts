// The heavy half of the access layer: the only module that loads googleapis and google-auth-library.
// It is bundled on its own (dist/gcpClients.js) and required on first use, never at activation.
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1';
import { run_v1 } from 'googleapis/build/src/apis/run/v1';
import { run_v2 } from 'googleapis/build/src/apis/run/v2';
import { cloudresourcemanager_v1 } from 'googleapis/build/src/apis/cloudresourcemanager/v1';
import { dns_v1 } from 'googleapis/build/src/apis/dns/v1';
import { certificatemanager_v1 } from 'googleapis/build/src/apis/certificatemanager/v1';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export type Auth = GoogleAuth | OAuth2Client;

export interface ApiOptions {
  auth: Auth;
  /** Replaces https://compute.googleapis.com/, run.googleapis.com and cloudresourcemanager.googleapis.com; paths stay the same. */
  rootUrl?: string;
  product: { name: string; version: string };
  /** Per-request timeout. */
  timeoutMs: number;
}

export interface GoogleApis {
  compute: compute_v1.Compute;
  runV1: run_v1.Run;
  runV2: run_v2.Run;
  resourceManager: cloudresourcemanager_v1.Cloudresourcemanager;
  dns: dns_v1.Dns;
  certificateManager: certificatemanager_v1.Certificatemanager;
}

/** Application Default Credentials, as gcloud and the client libraries find them. */
export function createDefaultCredentials(): GoogleAuth {
  return new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
}

/** A client that always sends the given bearer token and never refreshes it (emulators, fixed tokens). */
export function createFixedTokenCredentials(token: string): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 10 * 365 * 24 * 3600 * 1000 });
  return client;
}

export function createApis(options: ApiOptions): GoogleApis {
  const common = {
    auth: options.auth,
    rootUrl: options.rootUrl,
    userAgentDirectives: [{ product: options.product.name, version: options.product.version }],
    timeout: options.timeoutMs,
    // Retries are ours (bounded, with jitter, reads only): gaxios must not add its own.
    retry: false,
  };
  return {
    compute: new compute_v1.Compute(common),
    runV1: new run_v1.Run(common),
    runV2: new run_v2.Run(common),
    resourceManager: new cloudresourcemanager_v1.Cloudresourcemanager(common),
    dns: new dns_v1.Dns(common),
    certificateManager: new certificatemanager_v1.Certificatemanager(common),
  };
}
