// One prefix for everything the harness says, so its lines stand out between the test output.
const PREFIX = '[vscode-harness]';

export function log(message: string): void {
  console.log(`${PREFIX} ${message}`);
}

export function warn(message: string): void {
  console.warn(`${PREFIX} warning: ${message}`);
}

export function seconds(sinceMs: number): string {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)} s`;
}

/** Runs `step`, then logs how long it took. */
export async function timed<T>(what: string, step: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await step();
  log(`${what} in ${seconds(started)}`);
  return result;
}
