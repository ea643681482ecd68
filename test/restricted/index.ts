// The extensionTestsPath module for the Restricted Mode suite: a window with workspace trust on, on
// a workspace nobody trusted. The harness starts it in its own code-server.
import { runSuitesIn } from '../integration/index';

export function run(): Promise<void> {
  return runSuitesIn(__dirname);
}
