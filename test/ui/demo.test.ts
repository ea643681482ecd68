import * as assert from 'node:assert/strict';
import { describeDemo, startDemo } from '../harness/demo';
import { VsCodeEnvironment } from '../harness/environment';
import { Workbench } from './workbench';

// `npm start` in a test: the same startDemo(), its own emulator and code-server, and the picture
// a person gets when they open the printed URL.
describe('npm start demo', () => {
  let demo: VsCodeEnvironment | undefined;
  let workbench: Workbench | undefined;

  before(async () => {
    demo = await startDemo({ preferredPort: 0 });
  });

  after(async () => {
    await workbench?.close();
    await demo?.close();
  });

  it('prints the workbench URL and the emulator endpoint', () => {
    const text = describeDemo(demo as VsCodeEnvironment);
    assert.ok(text.includes((demo as VsCodeEnvironment).extensionWorkbenchUrl));
    assert.ok(text.includes((demo as VsCodeEnvironment).emulator.url));
  });

  it('shows the extension\'s view next to the sample workspace', async () => {
    workbench = await Workbench.open({ url: (demo as VsCodeEnvironment).extensionWorkbenchUrl });
    await workbench.quickOpen('service.yaml');
    await workbench.openViewContainer('Cloud Run Global');
    await workbench.waitForTreeRow('storefront', 30_000);
    const lenses = await workbench.codeLensTexts();
    await workbench.screenshot('demo');
    assert.match(await workbench.sideBarTitle(), /^Cloud Run Global/i);
    assert.match(await workbench.editorText(), /my-global-app/);
    assert.ok(lenses.some((lens) => lens.includes('Make global')), JSON.stringify(lenses));
  });
});
