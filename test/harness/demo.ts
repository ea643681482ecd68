// `npm start`: the emulator with demo data and a real VS Code in the browser with the extension
// loaded from this repository, on the demo workspace. Prints the URL to open; Ctrl+C stops it all.
import { log } from './log';
import { startEnvironment, VsCodeEnvironment } from './environment';
import { cleanupAll, installExitHandlers } from './processes';

/** A stable address people can bookmark; another free port is used when it is taken. */
export const DEMO_PORT = 8790;

/** Long enough to watch a load balancer being built step by step, short enough not to bore. */
const DEMO_OPERATION_LATENCY_MS = 1500;

export interface DemoOptions {
  preferredPort?: number;
}

export async function startDemo(options: DemoOptions = {}): Promise<VsCodeEnvironment> {
  return startEnvironment({
    preferredPort: options.preferredPort ?? DEMO_PORT,
    operationLatencyMs: DEMO_OPERATION_LATENCY_MS,
    // A person's first run: the extension's Get Started walkthrough opens by itself (tests keep it off).
    machineSettings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true },
  });
}

export function describeDemo(demo: VsCodeEnvironment): string {
  const lines = [
    '',
    'Cloud Run Global demo is running.',
    '',
    `  Open VS Code:  ${demo.extensionWorkbenchUrl}`,
    `  Workspace:     ${demo.workspace.path} (a fresh copy of test/fixtures/demo-workspace)`,
    `  Emulator:      ${demo.emulator.url} (project demo-project, DNS on 127.0.0.1:${demo.emulator.dnsPort}/udp)`,
    '',
    'Press Ctrl+C to stop everything.',
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  installExitHandlers();
  const demo = await startDemo({ preferredPort: Number(process.env.PORT) || undefined });
  console.log(describeDemo(demo));
  // Everything runs in child processes and servers; the exit handlers stop them on Ctrl+C.
  await new Promise<never>(() => undefined);
}

if (require.main === module) {
  main().catch(async (err: unknown) => {
    log(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    await cleanupAll();
    process.exit(1);
  });
}
