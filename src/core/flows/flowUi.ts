// What a use case asks of the person running it, without vscode: a confirmation, a cancellable
// progress, a message. VS Code backs it with modal dialogs and notifications; tests with a script.
export interface FlowUi {
  /** A modal question; true when the person chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** Runs `task` with progress messages (and `increment`, in percent of the whole, when known) and a Cancel that aborts `signal`. */
  withProgress<T>(
    title: string,
    task: (report: (message: string, increment?: number) => void, signal: AbortSignal) => Promise<T>,
  ): Promise<T>;
  info(message: string): void;
  /** A problem that left work undone; the details are in the log. */
  warn(message: string): void;
  log(line: string): void;
}
