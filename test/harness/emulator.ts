// The Google API emulator (test/emulator) with the demo seed, in this process, stopped by the
// harness's cleanup. While test/emulator is not there yet the harness runs without it and says so.
import { join } from 'node:path';
import { log, warn } from './log';
import { onCleanup } from './processes';

export interface RunningEmulator {
  /** http://127.0.0.1:PORT/ */
  url: string;
  port: number;
  /** UDP port of its DNS server. */
  dnsPort?: number;
  close(): Promise<void>;
}

interface EmulatorModule {
  startEmulator(options: { port?: number; seed?: 'demo' | 'empty'; dns?: boolean }): Promise<RunningEmulator>;
}

function loadEmulatorModule(): EmulatorModule | undefined {
  const path = join(__dirname, '..', 'emulator');
  try {
    return require(path) as EmulatorModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String(err).includes(path)) return undefined;
    throw err;
  }
}

export async function startDemoEmulator(port?: number): Promise<RunningEmulator | undefined> {
  const emulator = loadEmulatorModule();
  if (!emulator) {
    warn('test/emulator is not built; running without an emulator (the extension gets an endpoint nobody answers)');
    return undefined;
  }
  const running = await emulator.startEmulator({ port, seed: 'demo', dns: true });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    await running.close();
  };
  const unregister = onCleanup('emulator', close);
  log(`emulator (demo seed) on ${running.url}${running.dnsPort ? `, DNS on 127.0.0.1:${running.dnsPort}/udp` : ''}`);
  return { ...running, close };
}
