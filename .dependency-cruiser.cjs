// The layers, checked on every `npm test` (lint stage): src/core never reaches VS Code, the editor wing or
// the activation shell, and no module depends on itself through others.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-vscode',
      comment: 'src/core models the cloud without VS Code: move the code that needs vscode to src/editor.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^(vscode$|node_modules/@types/vscode/)' },
    },
    {
      name: 'core-imports-editor',
      comment: 'src/core may not import the editor wing or the activation shell: pass what it needs as a parameter.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(editor/|extension\\.ts$|services\\.ts$|contributes\\.ts$)' },
    },
    {
      name: 'no-circular',
      comment: 'An import circle: split the shared part into a module of its own.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
