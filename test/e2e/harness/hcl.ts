// Small HCL helpers for test configurations.

/** An HCL quoted string literal (JSON escapes are valid HCL; `${` and `%{` must not start a template). */
export function hclString(text: string): string {
  return JSON.stringify(text).replaceAll('${', '$${').replaceAll('%{', '%%{');
}

export interface ProviderBlockOptions {
  /** Attributes of the `provider "outscale"` block, rendered as HCL literals (strings are quoted). */
  attributes?: Record<string, string | number | boolean>;
}

function literal(value: string | number | boolean): string {
  return typeof value === 'string' ? hclString(value) : String(value);
}

/** `terraform { required_providers { outscale = … } }` plus a `provider "outscale"` block. */
export function providerBlock(options: ProviderBlockOptions = {}): string {
  const attributes = Object.entries(options.attributes ?? {})
    .map(([name, value]) => `  ${name} = ${literal(value)}\n`)
    .join('');
  return [
    'terraform {',
    '  required_providers {',
    '    outscale = {',
    '      source = "outscale/outscale"',
    '    }',
    '  }',
    '}',
    '',
    `provider "outscale" {\n${attributes}}`,
    '',
  ].join('\n');
}
