// Shared set-up for tests that talk to the emulator over HTTP, as the extension talks to Google.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GcpConnection } from '../../src/core/gcp/connection';
import { RetryPolicy } from '../../src/core/gcp/retry';
import { Emulator, EmulatorOptions, startEmulator } from '../emulator';

export const PROJECT = 'demo-project';
export const FAST_RETRY: RetryPolicy = { maxAttempts: 4, initialDelayMs: 5, maxDelayMs: 20, maxElapsedMs: 5000 };

// Nothing in these tests may probe the outside (metadata server, proxies, a real gcloud config).
process.env.GCE_METADATA_HOST = '127.0.0.1:9';
process.env.NO_PROXY = '127.0.0.1,localhost';
process.env.CLOUDSDK_CONFIG = fs.mkdtempSync(path.join(os.tmpdir(), 'crg-gcloud-'));

export interface Harness {
  emulator: Emulator;
  connection: GcpConnection;
  log: string[];
}

export async function startHarness(options: EmulatorOptions = {}, retry: RetryPolicy = FAST_RETRY): Promise<Harness> {
  const emulator = await startEmulator({ operationLatencyMs: 0, ...options });
  const log: string[] = [];
  const connection = new GcpConnection(
    { endpoint: emulator.url, endpointFromUserSettings: true, endpointCredentials: 'token', endpointToken: 'test-token' },
    { env: {}, platform: process.platform, homedir: os.tmpdir(), readFile: () => undefined },
    { retry, log: (line) => log.push(line) },
  );
  return { emulator, connection, log };
}
