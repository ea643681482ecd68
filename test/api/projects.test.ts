import assert from 'node:assert/strict';
import { Harness, startHarness } from './setup';

describe('Project listing against the emulator', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ seed: 'demo', dns: false });
  });
  after(async () => {
    await h.emulator.close();
  });

  it('lists the projects the caller can see, by ID', async () => {
    await h.emulator.control.addProject({ id: 'another-project', number: '555' });
    assert.deepEqual(await h.connection.listProjects(), [
      { id: 'another-project', name: 'another-project', number: '555' },
      { id: 'demo-project', name: 'demo-project', number: '123456789012' },
    ]);
  });
});
