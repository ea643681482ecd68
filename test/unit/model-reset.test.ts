// The model after a settings change that gives it a project it lacked: every view hears of it and
// reads again, instead of going on showing "No Google Cloud project is selected".
import assert from 'node:assert/strict';
import { CloudError } from '../../src/core/gcp/errors';
import { ProjectModel } from '../../src/core/model/projectModel';

describe('ProjectModel.reset', () => {
  it('tells the views when a project arrives where there was none, and the next read connects', async () => {
    let project: string | undefined;
    const compute = {
      listAll: async () => [],
      listNetworkEndpointGroupsEverywhere: async function* () {
        yield* [];
      },
      listOperations: async () => [],
    };
    const run = { listServices: async () => [], listRegions: async () => [] };
    const model = new ProjectModel({
      connect: () => {
        if (!project) throw new CloudError('No Google Cloud project is selected.', { kind: 'invalid' });
        return { project, compute: compute as never, run: run as never };
      },
      resolver: () => {
        throw new Error('no DNS');
      },
    });
    const problem = () => model.problem;
    await model.ensure(['services']);
    assert.match(problem()?.message ?? '', /No Google Cloud project/);

    let changes = 0;
    model.onDidChange(() => changes++);
    project = 'chosen-project';
    model.reset();
    assert.ok(changes > 0, 'the views are told to look again');
    await model.ensure(['services']);
    assert.equal(problem(), undefined);
    assert.equal(model.project, 'chosen-project');
    assert.deepEqual(model.services, []);

    // And back: the problem is found again on the next look.
    project = undefined;
    model.reset();
    await model.ensure(['services']);
    assert.match(problem()?.message ?? '', /No Google Cloud project/);
  });
});
