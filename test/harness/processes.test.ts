import * as assert from 'node:assert/strict';
import { descendantsOf, liveGroupMembers, parseProcStat, ProcessInfo, spawnInGroup } from './processes';

describe('process groups', () => {
  it('parses /proc/PID/stat, parentheses in the command included', () => {
    const line = '4242 (node (worker) x) S 4241 4200 4200 0 -1 4194560 0 0';
    assert.deepEqual(parseProcStat(line), { pid: 4242, ppid: 4241, pgid: 4200, state: 'S', command: 'node (worker) x' });
    assert.equal(parseProcStat('garbage'), undefined);
  });

  it('finds descendants through the parent links', () => {
    const table: ProcessInfo[] = [
      { pid: 10, ppid: 1, pgid: 10, state: 'S', command: 'root' },
      { pid: 11, ppid: 10, pgid: 11, state: 'S', command: 'child' },
      { pid: 12, ppid: 11, pgid: 11, state: 'S', command: 'grandchild' },
      { pid: 13, ppid: 1, pgid: 13, state: 'S', command: 'stranger' },
    ];
    assert.deepEqual(
      descendantsOf(10, table)
        .map((p) => p.pid)
        .sort(),
      [11, 12],
    );
  });

  it('stops a started group with all its children', async function () {
    if (process.platform !== 'linux') this.skip();
    // The shell starts two sleeps of its own: a plain kill of the shell would leave them running.
    const group = spawnInGroup('sleepers', 'sh', ['-c', 'sleep 30 & sleep 30 & wait']);
    for (let i = 0; i < 50 && liveGroupMembers(group.pid).length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(liveGroupMembers(group.pid).length, 3);
    await group.stop();
    assert.deepEqual(liveGroupMembers(group.pid), []);
    assert.equal(group.isRunning(), false);
  });
});
