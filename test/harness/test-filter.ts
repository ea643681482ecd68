// While working on one area: CLOUD_RUN_GLOBAL_TEST_FILES=explorer,make-global runs only the
// integration and UI test files whose names contain one of those words. Unset (as in CI): all.
export const TEST_FILES_ENV = 'CLOUD_RUN_GLOBAL_TEST_FILES';

export function isSelectedTestFile(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!name.endsWith('.test.js')) return false;
  const words = (env[TEST_FILES_ENV] ?? '')
    .split(',')
    .map((word) => word.trim())
    .filter(Boolean);
  return words.length === 0 || words.some((word) => name.includes(word));
}
