// A model configuration as HCL: the provider block, one terraform_data per value routed through it (its input is
// the value, so its output is unknown at plan time whenever the value changes) and the outscale_image "x".
import { hclString, providerBlock } from '../harness/index.js';
import { MODES, type ModelConfig, type Routed } from './model.js';

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]/g, '_');
}

export function renderConfig(config: ModelConfig): string {
  const data: string[] = [];
  const use = (role: string, r: Routed): string => {
    if (!r.unknown) return hclString(r.value);
    const name = `v_${slug(role)}`;
    data.push(`resource "terraform_data" "${name}" {\n  input = ${hclString(r.value)}\n}\n`);
    return `terraform_data.${name}.output`;
  };
  const lines = [`  image_name = ${hclString(config.imageName)}`, MODES[config.mode]];
  if (config.mode === 'vm' && config.noReboot !== undefined) lines.push(`  no_reboot  = ${config.noReboot}`);
  if (config.description) lines.push(`  description = ${use('description', config.description)}`);
  if (config.productCodes) lines.push(`  product_codes = ${JSON.stringify(config.productCodes)}`);
  for (const tag of config.tags) {
    const key = use(`tag_key_${tag.key.value}`, tag.key);
    const value = tag.omitValue ? '' : `\n    value = ${use(`tag_value_${tag.key.value}`, tag.value)}`;
    lines.push(`  tags {\n    key   = ${key}${value}\n  }`);
  }
  if (config.timeoutsCreate) lines.push(`  timeouts {\n    create = "${config.timeoutsCreate}"\n  }`);
  return `${providerBlock()}\n${data.join('\n')}\nresource "outscale_image" "x" {\n${lines.join('\n')}\n}\n`;
}
