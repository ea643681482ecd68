// How UI tests (test/ui) reach the VS Code the runner started: the runner sets the session
// before mocha loads the files. Every open workbench page is registered so a timeout can photograph it.
import { Page } from 'playwright-core';
import { TestBrowser } from './browser';
import { VsCodeEnvironment } from './environment';

export interface UiSession {
  environment: VsCodeEnvironment;
  browser: TestBrowser;
}

let current: UiSession | undefined;
const openPages = new Set<Page>();

export function setUiSession(session: UiSession | undefined): void {
  current = session;
}

export function uiSession(): UiSession {
  if (!current) throw new Error('UI tests run inside out/test/harness/run-vscode-tests.js, which starts VS Code for them');
  return current;
}

export function trackPage(page: Page): void {
  openPages.add(page);
  page.once('close', () => openPages.delete(page));
}

export function trackedPages(): Page[] {
  return [...openPages].filter((page) => !page.isClosed());
}
