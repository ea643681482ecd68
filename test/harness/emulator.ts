// The Google API emulator (test/emulator) with the demo seed, in this process, stopped by the
// harness's cleanup like everything else it starts.
import { EmulatorControl } from '../emulator/control';
import { startEmulator } from '../emulator';
import { log } from './log';
import { onCleanup } from './processes';

export interface RunningEmulator {
  /** http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  /** UDP port of its DNS server on 127.0.0.1. */
  dnsPort: number;
  /** Its control API: reset to the demo seed, DNS records, faults. */
  control: EmulatorControl;
  close(): Promise<void>;
}

export interface DemoEmulatorOptions {
  port?: number;
  /** How long a write's operation stays PENDING/RUNNING; 0 (tests) makes writes finish at once. */
  operationLatencyMs?: number;
}

export async function startDemoEmulator(options: DemoEmulatorOptions = {}): Promise<RunningEmulator> {
  const running = await startEmulator({ port: options.port, seed: 'demo', dns: true, operationLatencyMs: options.operationLatencyMs ?? 0 });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    await running.close();
  };
  const unregister = onCleanup('emulator', close);
  log(`emulator (demo seed) on ${running.url}, DNS on 127.0.0.1:${running.dnsPort}/udp`);
  return { url: running.url, port: running.port, dnsPort: running.dnsPort, control: running.control, close };
}
