// Generated invalid outscale_image configurations for the bad-input e2e test. Each case is one resource block whose
// error does not depend on the other blocks, so many cases share one configuration and terraform reports them all.
import { hclString } from '../harness/index.js';

export interface BadCase {
  /** Short description (kind: what is wrong). */
  label: string;
  /** Attribute lines and nested blocks inside `resource "outscale_image" "<name>" { … }`. */
  body: string;
}

const HUGE = 'x'.repeat(100_000);
const q = hclString;

/** A valid creation mode, as body lines; each fault is tried with each mode. */
const MODES: Record<string, string> = {
  vm: 'vm_id = "i-5eed0001"',
  manifest: 'file_location = "https://osu.example.com/exports/image.manifest.xml"',
  copy: 'source_image_id = "ami-5eed0001"\n  source_region_name = "eu-west-2"',
  snapshot: 'root_device_name = "/dev/sda1"\n  block_device_mappings {\n    device_name = "/dev/sda1"\n    bsu {\n      snapshot_id = "snap-5eed0001"\n    }\n  }',
};

/** Faults that are independent of the creation mode (no block_device_mappings of their own). */
const FAULTS: Array<[string, string]> = [
  // wrong types
  ['type: image_name list', 'image_name = [1, 2]'],
  ['type: image_name object', 'image_name = { a = 1 }'],
  ['type: no_reboot string', 'no_reboot = "maybe"'],
  ['type: no_reboot list', 'no_reboot = [true]'],
  ['type: tpm_mandatory word', 'tpm_mandatory = "yes please"'],
  ['type: boot_modes number', 'boot_modes = 5'],
  ['type: boot_modes object', 'boot_modes = { a = "uefi" }'],
  ['type: product_codes number', 'product_codes = 5'],
  ['type: product_codes nested list', 'product_codes = [["0001"]]'],
  ['type: architecture list', 'architecture = ["x86_64"]'],
  ['type: description object', 'description = { text = "d" }'],
  // out of range / invalid values
  ['range: image_name too short', 'image_name = "ab"'],
  ['range: image_name 129 chars', `image_name = ${q('n'.repeat(129))}`],
  ['range: image_name bad characters', 'image_name = "bad*name?"'],
  ['range: image_name empty', 'image_name = ""'],
  ['range: architecture arm64', 'architecture = "arm64"'],
  ['range: architecture case', 'architecture = "X86_64"'],
  ['range: boot_modes bios', 'boot_modes = ["bios"]'],
  ['range: boot_modes one bad', 'boot_modes = ["uefi", "nope"]'],
  ['range: tag key empty', 'tags {\n    key = ""\n  }'],
  ['range: tag key 256 chars', `tags {\n    key = ${q('k'.repeat(256))}\n  }`],
  ['range: tag value 256 chars', `tags {\n    key = "k"\n    value = ${q('v'.repeat(256))}\n  }`],
  ['range: duplicate tag keys', 'tags {\n    key = "k"\n    value = "1"\n  }\n  tags {\n    key = "k"\n    value = "2"\n  }'],
  ['range: timeout word', 'timeouts {\n    create = "forever"\n  }'],
  ['range: timeout without unit', 'timeouts {\n    delete = "10"\n  }'],
  ['range: timeout negative', 'timeouts {\n    update = "-5m"\n  }'],
  // huge strings
  ['huge: image_name 100k', `image_name = ${q(HUGE)}`],
  ['huge: tag key 100k', `tags {\n    key = ${q(HUGE)}\n  }`],
  ['huge: timeout 100k', `timeouts {\n    read = ${q(HUGE)}\n  }`],
  ['huge: architecture 100k', `architecture = ${q(HUGE)}`],
  // unicode
  ['unicode: accented image_name', `image_name = ${q('imagé-ñandú')}`],
  ['unicode: emoji image_name', `image_name = ${q('😀😀😀😀')}`],
  ['unicode: CJK image_name', `image_name = ${q('名前テスト画像')}`],
  ['unicode: RTL override in image_name', `image_name = ${q('abc\u202edef')}`],
  ['unicode: NUL in image_name', 'image_name = "abc\\u0000def"'],
  ['unicode: zero-width architecture', `architecture = ${q('x86_64\u200b')}`],
  ['unicode: emoji boot mode', `boot_modes = [${q('uefi😀')}]`],
  // empty blocks and nulls
  ['empty: tags block', 'tags {}'],
  ['empty: tags key null', 'tags {\n    key = null\n  }'],
  // unknown attributes and blocks
  ['unknown: attribute', 'bogus = 1'],
  ['unknown: attribute case', 'Image_Name = "abc"'],
  ['unknown: tag attribute', 'tags {\n    key = "a"\n    extra = "b"\n  }'],
  ['unknown: timeouts attribute', 'timeouts {\n    forever = "1m"\n  }'],
  ['unknown: block', 'nonsense {\n    a = 1\n  }'],
  ['unknown: computed-only id set', 'id = "ami-12345678"'],
  ['unknown: computed-only state set', 'state = "available"'],
  // nested garbage
  ['nested: tags key object', 'tags {\n    key = { a = 1 }\n  }'],
  ['nested: timeouts list', 'timeouts {\n    create = ["1m"]\n  }'],
  ['nested: two timeouts blocks', 'timeouts {\n    create = "1m"\n  }\n  timeouts {\n    create = "2m"\n  }'],
  ['nested: boot_modes of objects', 'boot_modes = [{}]'],
  ['nested: tags as attribute', 'tags = { a = "b" }'],
];

/** Malformed block_device_mappings (each once). */
const MODE_FAULTS: Array<[string, string]> = [
  ['range: root device name', 'root_device_name = "/dev/hda"\n  block_device_mappings {\n    device_name = "/dev/sda1"\n  }'],
  ['bdm: empty block', 'root_device_name = "/dev/sda1"\n  block_device_mappings {}'],
  ['bdm: bad device name', 'root_device_name = "/dev/sda1"\n  block_device_mappings {\n    device_name = "sda1"\n  }'],
  ['bdm: bad virtual name', 'root_device_name = "/dev/sda1"\n  block_device_mappings {\n    device_name = "/dev/sdb"\n    virtual_device_name = "eph"\n  }'],
  ['bdm: two bsu', 'root_device_name = "/dev/sda1"\n  block_device_mappings {\n    device_name = "/dev/sda1"\n    bsu {\n      snapshot_id = "snap-5eed0001"\n    }\n    bsu {\n      snapshot_id = "snap-5eed0002"\n    }\n  }'],
  ['bdm: iops string', 'root_device_name = "/dev/sda1"\n  block_device_mappings {\n    device_name = "/dev/sda1"\n    bsu {\n      iops = "many"\n    }\n  }'],
  ['bdm: bsu string', 'root_device_name = "/dev/sda1"\n  block_device_mappings = [{ device_name = "/dev/sda1", bsu = "x" }]'],
  ['bdm: list of lists', 'root_device_name = "/dev/sda1"\n  block_device_mappings = [[1, 2]]'],
  ['bdm: device name list', 'root_device_name = "/dev/sda1"\n  block_device_mappings = [{ device_name = ["/dev/sda1"] }]'],
  ['bdm: unknown nested attribute', 'root_device_name = "/dev/sda1"\n  block_device_mappings {\n    device_name = "/dev/sda1"\n    bsu {\n      nope = 1\n    }\n  }'],
  ['bdm: string', 'root_device_name = "/dev/sda1"\n  block_device_mappings = "x"'],
  ['bdm: huge device name', `root_device_name = "/dev/sda1"\n  block_device_mappings {\n    device_name = ${q(HUGE)}\n  }`],
  ['bdm: unicode device name', `root_device_name = "/dev/sda1"\n  block_device_mappings {\n    device_name = ${q('/dev/sdé')}\n  }`],
];

/**
 * Creation-mode faults: configurations that validate (a configuration generated by `plan -generate-config-out` holds
 * the API's file_location, block_device_mappings and root_device_name at once) but cannot create an OMI, so the plan
 * of a creation rejects them. Terraform only plans when the whole configuration validates: they run apart.
 */
export const CREATION_MODE_CASES: BadCase[] = ([
  ['conflict: no mode', 'image_name = "no-mode"'],
  ['conflict: vm and manifest', `${MODES.vm}\n  ${MODES.manifest}`],
  ['conflict: vm and copy', `${MODES.vm}\n  ${MODES.copy}`],
  ['conflict: manifest and snapshot', `${MODES.manifest}\n  ${MODES.snapshot}`],
  ['conflict: all four', `${MODES.vm}\n  ${MODES.manifest}\n  ${MODES.copy}\n  ${MODES.snapshot}`],
  ['conflict: copy without region', 'source_image_id = "ami-5eed0001"'],
  ['conflict: snapshot without root device', 'block_device_mappings {\n    device_name = "/dev/sda1"\n    bsu {\n      snapshot_id = "snap-5eed0001"\n    }\n  }'],
  ['conflict: region with vm', `${MODES.vm}\n  source_region_name = "eu-west-2"`],
  ['conflict: root device with manifest', `${MODES.manifest}\n  root_device_name = "/dev/sda1"`],
  ['conflict: huge vm_id with manifest', `vm_id = ${q(HUGE)}\n  ${MODES.manifest}`],
] as Array<[string, string]>).map(([label, body]) => ({ label, body }));

/** Every generated case: each mode-independent fault with each creation mode, then the mapping faults. */
export function badCases(): BadCase[] {
  const cases: BadCase[] = [];
  for (const [label, fault] of FAULTS) {
    for (const [modeName, mode] of Object.entries(MODES)) cases.push({ label: `${label} [${modeName}]`, body: `${mode}\n  ${fault}` });
  }
  for (const [label, body] of MODE_FAULTS) cases.push({ label, body });
  return cases;
}

/** Whether a case carries a 100k-character string. */
export const isHuge = (c: BadCase): boolean => c.body.length > 10_000;

/**
 * Cases in batches: the 100k-character ones together, apart from the rest. Terraform spends time proportional to
 * the file size for every diagnostic it renders (snippets), so a large file with many diagnostics takes tens of
 * seconds in terraform itself; keeping the large strings in small batches keeps each run around a second.
 */
const HUGE_BATCH_SIZE = 4;

export function batchCases(cases: BadCase[], size: number): BadCase[][] {
  const normal = cases.filter((c) => !isHuge(c));
  const batches: BadCase[][] = [];
  for (let i = 0; i < normal.length; i += size) batches.push(normal.slice(i, i + size));
  const huge = cases.filter(isHuge);
  for (let i = 0; i < huge.length; i += HUGE_BATCH_SIZE) batches.push(huge.slice(i, i + HUGE_BATCH_SIZE));
  return batches;
}

export interface RenderedBatch {
  config: string;
  /** Resource name → case, and the main.tf line range of each block. */
  blocks: Array<{ name: string; case: BadCase; firstLine: number; lastLine: number }>;
}

/** One main.tf holding `cases` as resources named c<offset+i>, after the given header (provider block). */
export function renderBatch(header: string, cases: BadCase[], offset: number): RenderedBatch {
  const lines = header.split('\n');
  const blocks: RenderedBatch['blocks'] = [];
  cases.forEach((c, i) => {
    const name = `c${offset + i}`;
    const block = [`# ${c.label.replace(/\n/g, ' ')}`, `resource "outscale_image" "${name}" {`, `  ${c.body}`, '}', ''].join('\n').split('\n');
    const firstLine = lines.length + 1;
    lines.push(...block);
    blocks.push({ name, case: c, firstLine, lastLine: lines.length });
  });
  return { config: lines.join('\n'), blocks };
}

/**
 * Errors in terraform's own meta-arguments: terraform stops at the first of these (configuration loading or count /
 * for_each evaluation), so each needs a run of its own.
 */
export const META_CASES: BadCase[] = [
  { label: 'meta: count negative', body: `count = -1\n  ${MODES.vm}` },
  { label: 'meta: count string', body: `count = "many"\n  ${MODES.vm}` },
  { label: 'meta: for_each number', body: `for_each = 5\n  ${MODES.vm}` },
  { label: 'meta: lifecycle garbage', body: `${MODES.vm}\n  lifecycle {\n    bogus = true\n  }` },
  { label: 'meta: provider unknown', body: `provider = outscale.nowhere\n  ${MODES.vm}` },
];

/** Malformed files that do not even parse: each needs a run of its own. */
export const UNPARSABLE_CONFIGS: Array<[string, string]> = [
  ['unclosed block', 'resource "outscale_image" "x" {\n  vm_id = "i-5eed0001"\n'],
  ['missing label', 'resource "outscale_image" {\n  vm_id = "i-5eed0001"\n}\n'],
  ['invalid escape', 'resource "outscale_image" "x" {\n  image_name = "a\\qb"\n}\n'],
  ['double equals', 'resource "outscale_image" "x" {\n  image_name = = "abc"\n}\n'],
  ['binary garbage', `resource "outscale_image" "x" {\n  image_name = "${'\u0001\u0002\u00ff'}\n}\n\u0000\u0000`],
  ['unterminated template', 'resource "outscale_image" "x" {\n  image_name = "${var.x"\n}\n'],
];
