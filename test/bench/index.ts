// `npm run bench`: every benchmark, printing numbers measured side by side in one process.
import { benchApply, printApply } from './apply';
import { benchExplorer, printExplorer } from './explorer';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  if (!only.length || only.includes('explorer')) printExplorer(await benchExplorer());
  if (!only.length || only.includes('apply')) printApply(await benchApply());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
