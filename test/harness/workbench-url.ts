// The browser workbench takes what desktop VS Code takes as command-line flags through its `payload`
// URL parameter; paths in it are URIs on the server, whose authority is the host the browser used.

export interface WorkbenchLaunch {
  /** Folder opened in the window, a path on the server. */
  folder: string;
  /** The extension under development, loaded from source (a folder with its package.json). */
  extensionDevelopmentPath?: string;
  /** A module exporting `run(): Promise<void>`; the window closes through codeAutomationExit when it settles. */
  extensionTestsPath?: string;
  /** A file the window opens with, a path on the server (as `code FILE` does). */
  openFile?: string;
}

export function remoteUri(serverUrl: string, path: string): string {
  return `vscode-remote://${new URL(serverUrl).host}${path}`;
}

export function workbenchUrl(serverUrl: string, launch: WorkbenchLaunch): string {
  const payload: Array<[string, string]> = [];
  if (launch.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(serverUrl, launch.extensionDevelopmentPath)]);
  if (launch.extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(serverUrl, launch.extensionTestsPath)]);
  if (launch.openFile) payload.push(['openFile', remoteUri(serverUrl, launch.openFile)]);
  payload.push(['skipWelcome', 'true'], ['skipReleaseNotes', 'true']);
  const url = new URL(serverUrl);
  url.pathname = '/';
  url.search = `?folder=${encodeURIComponent(launch.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url.toString();
}
