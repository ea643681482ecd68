import * as assert from 'node:assert/strict';
import { sharedWorkbench, Workbench } from './workbench';

describe('Command Palette', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await sharedWorkbench();
  });

  it('runs "Cloud Run Global: Show Log", which shows the extension\'s output channel', async () => {
    await workbench.runCommand('Cloud Run Global: Show Log');
    const output = await workbench.outputView();
    console.log(`      channel: ${output.channel}; text: ${JSON.stringify(output.text.slice(0, 200))}`);
    await workbench.screenshot('ui-show-log');
    assert.equal(output.channel, 'Cloud Run Global');
  });
});
