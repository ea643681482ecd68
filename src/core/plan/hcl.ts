// HCL as the Terraform export writes it: string literals and blocks.

/** An HCL string literal (JSON's escapes, plus `${` and `%{` kept literal). */
export function hclString(value: string): string {
  return JSON.stringify(value)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{');
}

export function block(header: string, body: string[], indent = ''): string[] {
  return [`${indent}${header} {`, ...body.map((l) => (l ? `${indent}  ${l}` : l)), `${indent}}`];
}
