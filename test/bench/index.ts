// `npm run bench`: every benchmark, printing numbers measured side by side in one process.
import { benchExplorer, printExplorer } from './explorer';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  if (!only.length || only.includes('explorer')) printExplorer(await benchExplorer());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
