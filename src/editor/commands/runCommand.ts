// One wrapper for every command: cancellation is silent; anything else becomes a message that says
// what to do, with the details in the log.
import * as vscode from 'vscode';
import { CloudError, isCancellation, toCloudError } from '../../core/gcp/errors';

export interface CommandLog {
  error(message: string, ...args: unknown[]): void;
  show(preserveFocus?: boolean): void;
}

export function describeError(err: unknown): string {
  if (err instanceof CloudError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

export async function reportError(err: unknown, log: CommandLog, title?: string): Promise<void> {
  if (isCancellation(err)) return;
  const cloud = err instanceof CloudError ? err : toCloudError(err);
  log.error(
    `${title ? `${title}: ` : ''}${cloud.message}${cloud.googleMessage && !cloud.message.includes(cloud.googleMessage) ? ` [Google: ${cloud.googleMessage}]` : ''}`,
  );
  const choice = await vscode.window.showErrorMessage(title ? `${title}: ${cloud.message}` : cloud.message, 'Show Log');
  if (choice === 'Show Log') log.show(true);
}

export type CommandHandler = (...args: never[]) => unknown;

let register = (id: string, handler: CommandHandler): vscode.Disposable => vscode.commands.registerCommand(id, handler);

/**
 * From now on command handlers go into `table` instead of VS Code's registry: the activation shell
 * registered every contributed command before the services existed and forwards to this table.
 */
export function registerCommandsInto(table: Map<string, CommandHandler>): void {
  register = (id, handler) => {
    table.set(id, handler);
    return { dispose: () => void (table.get(id) === handler && table.delete(id)) };
  };
}

export function registerCommand<A extends unknown[]>(id: string, log: CommandLog, handler: (...args: A) => unknown): vscode.Disposable {
  return register(id, async (...args: A) => {
    try {
      return await handler(...args);
    } catch (err) {
      // Not awaited: a caller of executeCommand must not wait until the user closes the message.
      void reportError(err, log);
      return undefined;
    }
  });
}
