// The operations of the fault matrix: what a workspace holds before, which terraform command is the operation, and
// how a cell brings the workspace back to its configuration afterwards. Every operation works on one
// `outscale_image.x`; each cell has its own sandbox, so names never collide between cells.
import { providerBlock, type RunResult, type TerraformWorkspace } from '../harness/index.js';
import { SEEDED, type Sandbox } from '../../../src/sandbox/index.js';
import { ACTIONS } from '../../../src/sandbox/actions.js';

export const ADDRESS = 'outscale_image.x';
export const IMAGE_NAME = 'matrix-omi';

/** What the configuration asks of the OMI (null: no OMI at all), to compare with the API after convergence. */
export interface Desired {
  description?: string;
  productCodes?: string[];
  tags?: Record<string, string>;
}

export interface Operation {
  name: string;
  /** Configuration the operation runs with. */
  config: string;
  /** What the API must hold once converged on `config` (null: no OMI). */
  desired: Desired | null;
  /** Sets the workspace and sandbox up for the command (the workspace already holds `config`). */
  prepare(tf: TerraformWorkspace, sandbox: Sandbox): Promise<Prepared>;
}

export interface Prepared {
  /** The terraform command under test. */
  args: string[];
  /** OMIs that exist outside state before the command (an import's target): they may stay so if it fails. */
  unmanaged: string[];
  /** Terraform commands that bring the workspace onto its configuration once the fault is gone. */
  converge(tf: TerraformWorkspace): Promise<RunResult[]>;
}

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];
const REFRESH = ['apply', '-refresh-only', '-auto-approve', '-input=false', '-no-color'];
const CONVERGE_TIMEOUT_MS = 120_000;

const applyAgain = async (tf: TerraformWorkspace) => [await tf.apply({ allowFailure: true, timeoutMs: CONVERGE_TIMEOUT_MS })];

function tagBlocks(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([key, value]) => `  tags {\n    key   = "${key}"\n    value = "${value}"\n  }\n`)
    .join('');
}

function imageBlock(body: string, desired: Desired): string {
  const lines = [`  image_name = "${IMAGE_NAME}"`, body];
  if (desired.description !== undefined) lines.push(`  description = "${desired.description}"`);
  if (desired.productCodes !== undefined) lines.push(`  product_codes = ${JSON.stringify(desired.productCodes)}`);
  return `${providerBlock()}\nresource "outscale_image" "x" {\n${lines.join('\n')}\n${tagBlocks(desired.tags ?? {})}}\n`;
}

const FROM_VM = `  vm_id      = "${SEEDED.vmId}"\n  no_reboot  = true`;
const MODES: Record<string, string> = {
  'from a VM': FROM_VM,
  'copy of an OMI': `  source_image_id    = "${SEEDED.publicImageIds[0]}"\n  source_region_name = "eu-west-2"`,
  'snapshot mappings': [
    '  root_device_name = "/dev/sda1"',
    '  block_device_mappings {',
    '    device_name = "/dev/sda1"',
    '    bsu {',
    `      snapshot_id           = "${SEEDED.snapshotIds[0]}"`,
    '      volume_size           = 10',
    '      volume_type           = "standard"',
    '      delete_on_vm_deletion = true',
    '    }',
    '  }',
  ].join('\n'),
  file_location: '  file_location = "https://bucket.example.com/exports/matrix.manifest.xml"',
};

const CREATED: Desired = { description: 'made by the fault matrix', tags: { env: 'dev', team: 'a' } };
const BASE: Desired = { description: 'before', productCodes: ['0001'], tags: { env: 'dev', team: 'a' } };
const BASE_CONFIG = imageBlock(FROM_VM, BASE);

/** The operation `args` run on `config` after `before` was applied (when given). */
function applied(name: string, config: string, desired: Desired | null, args: string[], before?: string): Operation {
  return {
    name,
    config,
    desired,
    async prepare(tf) {
      if (before !== undefined) {
        await tf.writeConfig(before);
        await tf.apply({ timeoutMs: CONVERGE_TIMEOUT_MS });
        await tf.writeConfig(config);
      }
      return { args, unmanaged: [], converge: applyAgain };
    },
  };
}

/** An OMI that exists before terraform knows it (made directly in the sandbox: no API call recorded). */
function unmanagedImage(sandbox: Sandbox): string {
  const answer = ACTIONS.CreateImage!.run(
    { ImageName: IMAGE_NAME, VmId: SEEDED.vmId, NoReboot: true },
    { state: sandbox.state, accountId: sandbox.accountId, region: sandbox.region, nowMs: Date.now(), imageFailure: () => undefined, exportFailure: () => undefined },
  ) as { Image: { ImageId: string } };
  return answer.Image.ImageId;
}

const importOperation: Operation = {
  name: 'import',
  config: imageBlock(FROM_VM, {}),
  desired: { description: '', tags: {} },
  async prepare(_tf, sandbox) {
    const id = unmanagedImage(sandbox);
    const args = ['import', '-input=false', '-no-color', ADDRESS, id];
    return {
      args,
      unmanaged: [id],
      async converge(tf) {
        const out: RunResult[] = [];
        if (!(await tf.stateList()).includes(ADDRESS)) out.push(await tf.run(args, { allowFailure: true }));
        out.push(...(await applyAgain(tf)));
        return out;
      },
    };
  },
};

export const OPERATIONS: Operation[] = [
  ...Object.entries(MODES).map(([mode, body]) => applied(`create (${mode})`, imageBlock(body, CREATED), CREATED, APPLY)),
  ...(
    [
      ['description', { ...BASE, description: 'after' }],
      ['product_codes', { ...BASE, productCodes: ['0001', '0002'] }],
      ['tags', { ...BASE, tags: { env: 'prod', owner: 'b' } }],
    ] as Array<[string, Desired]>
  ).map(([what, after]) => applied(`update ${what}`, imageBlock(FROM_VM, after), after, APPLY, BASE_CONFIG)),
  applied('delete', providerBlock(), null, APPLY, BASE_CONFIG),
  importOperation,
  applied('refresh', BASE_CONFIG, BASE, REFRESH, BASE_CONFIG),
];
