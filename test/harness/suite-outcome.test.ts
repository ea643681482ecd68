import * as assert from 'node:assert/strict';
import { anyFailed, describeOutcome, emptyOutcome, failedOutcome, totalLine } from './suite-outcome';

describe('suite outcomes', () => {
  it('fold into one `N passed, N failed` line', () => {
    const outcomes = [
      { ...emptyOutcome('integration'), passed: 8, pending: 1 },
      { ...emptyOutcome('ui'), passed: 5, failed: 2 },
    ];
    assert.equal(totalLine(outcomes), '13 passed, 2 failed');
    assert.equal(anyFailed(outcomes), true);
  });

  it('count a stage that could not run as one failure', () => {
    const outcome = failedOutcome('setup', 'code-server exited');
    assert.equal(outcome.failed, 1);
    assert.equal(totalLine([outcome]), '0 passed, 1 failed');
  });

  it('describe each suite without the shape test/run.mjs reads as the total', () => {
    const line = describeOutcome({ ...emptyOutcome('ui'), passed: 3, failed: 1, durationMs: 2500, problems: ['timed out'] });
    assert.equal(line, 'ui: 3 passing, 1 failing (2.5 s) — timed out');
    assert.doesNotMatch(line, /\d+ passed, \d+ failed/);
  });
});
