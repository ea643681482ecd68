// Every link in the Get Started walkthrough runs a command that exists: one of ours (contributed, so the
// activation shell registers it) or one of VS Code's that the links use.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
const WORKBENCH_COMMANDS = new Set(['workbench.action.quickOpen']);

describe('Get Started walkthrough', () => {
  const walkthroughs: { steps: { id: string; description: string; media?: { image?: string } }[] }[] = manifest.contributes.walkthroughs;
  const contributed = new Set((manifest.contributes.commands as { command: string }[]).map((c) => c.command));

  it('links every step to a command that exists, with arguments that parse', () => {
    const links = walkthroughs.flatMap((w) =>
      w.steps.flatMap((s) =>
        [...s.description.matchAll(/\]\(command:([\w.]+)(\?[^)]*)?\)/g)].map((m) => ({ step: s.id, command: m[1], args: m[2] })),
      ),
    );
    assert.ok(links.length >= 6, `${links.length} links`);
    for (const link of links) {
      assert.ok(contributed.has(link.command) || WORKBENCH_COMMANDS.has(link.command), `${link.step}: ${link.command} is no command`);
      if (link.args) JSON.parse(decodeURIComponent(link.args.slice(1)));
    }
  });

  it('shows a picture that the package ships for every step', () => {
    for (const step of walkthroughs.flatMap((w) => w.steps)) {
      const image = step.media?.image;
      assert.ok(image, `${step.id} has a picture`);
      readFileSync(join(__dirname, '..', '..', '..', image));
    }
  });
});
