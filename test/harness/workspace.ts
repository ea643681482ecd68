// Each run opens a fresh copy of the demo workspace, so tests may edit files without touching the repo.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoWorkspaceFixture } from './paths';
import { onCleanup } from './processes';

export interface TempWorkspace {
  readonly path: string;
  remove(): Promise<void>;
}

export function copyDemoWorkspace(): TempWorkspace {
  const parent = mkdtempSync(join(tmpdir(), 'crg-workspace-'));
  // A readable folder name: it is what the workbench shows as the workspace title.
  const path = join(parent, 'demo-workspace');
  cpSync(demoWorkspaceFixture, path, { recursive: true });
  const remove = async () => {
    unregister();
    rmSync(parent, { recursive: true, force: true });
  };
  const unregister = onCleanup('workspace', remove);
  return { path, remove };
}
