// The image data sources' filters: names and types from the OpenAPI spec, validation with exact paths and
// suggestions, conversion to the API's Filters object, the shortcut arguments, ordering and the stable id.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Diagnostics } from '../../../src/framework/diagnostics.js';
import { pathToString } from '../../../src/protocol/path.js';
import { objectValue, UNKNOWN, type ObjectValue, type Value } from '../../../src/protocol/value.js';
import { filtersToApi, snakeCase, validateFilters } from '../../../src/datasources/filters.js';
import { imageFilterSpecs } from '../../../src/datasources/image/filters.js';
import { imageObject, sortImages } from '../../../src/datasources/image/convert.js';
import { IMAGE_SHORTCUTS, IMAGES_SHORTCUTS, imageFilters } from '../../../src/datasources/image/query.js';
import { imageDataSource } from '../../../src/datasources/image/image.js';
import { imagesDataSource, queryId } from '../../../src/datasources/image/images.js';
import { describeWithSpec, specPath } from '../../contract/spec.js';

const filter = (name: Value, values: Value): ObjectValue => objectValue({ name, values });

function check(filters: ObjectValue[]): Array<{ at: string; detail: string }> {
  const diags = new Diagnostics();
  validateFilters(imageFilterSpecs, filters, [{ attribute: 'filter' }], diags);
  return diags.items.map((d) => ({ at: d.path ? pathToString(d.path) : '', detail: d.detail }));
}

function validateConfig(ds: typeof imageDataSource | typeof imagesDataSource, config: Record<string, Value>): Diagnostics {
  const diags = new Diagnostics();
  ds.validate!(objectValue(config), diags);
  return diags;
}

describeWithSpec('filter names', () => {
  it('are the snake_case of every FiltersImage key of the spec, with the spec types', { timeout: 60_000 }, () => {
    const spec = parse(readFileSync(specPath, 'utf8')) as {
      components: { schemas: { FiltersImage: { properties: Record<string, { type: string; items?: { type?: string } }> } } };
    };
    const properties = spec.components.schemas.FiltersImage.properties;
    expect(Object.keys(properties)).toHaveLength(27);
    expect([...imageFilterSpecs.keys()].sort()).toEqual(Object.keys(properties).map(snakeCase).sort());
    for (const [key, p] of Object.entries(properties)) {
      const spec = imageFilterSpecs.get(snakeCase(key))!;
      expect(spec.api).toBe(key);
      const kind = p.type === 'boolean' ? 'bool' : p.items?.type === 'integer' ? 'int' : 'string';
      expect(spec.kind, key).toBe(kind);
    }
    expect(imageFilterSpecs.get('tpm_mandatory')).toEqual({ api: 'TpmMandatory', kind: 'bool' });
  });
});

describe('filter validation', () => {
  it('accepts every filter with well-typed values', () => {
    const sample = { string: ['a*'], bool: ['true'], int: ['10', '20'] } as const;
    const filters = [...imageFilterSpecs].map(([name, s]) => filter(name, [...(s.oneOf ? [s.oneOf[0]!] : sample[s.kind])]));
    expect(check(filters)).toEqual([]);
  });

  it.each([
    ['image_name', 'Did you mean "image_names"?'],
    ['ImageNames', 'Did you mean "image_names"?'],
    ['tag', 'Did you mean "tags"?'],
    ['tpm_mandatry', 'Did you mean "tpm_mandatory"?'],
    ['most_recent', 'The filters are: account_aliases, account_ids,'],
  ])('rejects the unknown name %s at filter[1].name: %s', (name, hint) => {
    const found = check([filter('image_ids', ['ami-1']), filter(name, ['x'])]);
    expect(found).toHaveLength(1);
    expect(found[0]!.at).toBe('filter[1].name');
    expect(found[0]!.detail).toContain(hint);
  });

  it.each<[string, Value, string, string]>([
    ['secure_boot', ['yes'], 'filter[0].values[0]', 'takes true or false, got "yes"'],
    ['secure_boot', ['true', 'false'], 'filter[0].values', 'exactly one value'],
    ['block_device_mapping_volume_sizes', ['10', '1O'], 'filter[0].values[1]', 'whole numbers, got "1O"'],
    ['block_device_mapping_volume_sizes', ['-1'], 'filter[0].values[0]', 'whole numbers'],
    ['architectures', ['x86-64'], 'filter[0].values[0]', '"i386", "x86_64", got "x86-64"'],
    ['states', ['Available'], 'filter[0].values[0]', 'got "Available"'],
    ['boot_modes', ['bios'], 'filter[0].values[0]', '"uefi", "legacy"'],
    ['image_names', [], 'filter[0].values', 'at least one value'],
    ['image_names', [null], 'filter[0].values[0]', 'cannot be null'],
  ])('rejects %s = %j at %s', (name, values, at, detail) => {
    const found = check([filter(name, values)]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ at });
    expect(found[0]!.detail).toContain(detail);
  });

  it('rejects a filter given twice, at the second block', () => {
    const found = check([filter('image_names', ['a']), filter('tags', ['k=v']), filter('image_names', ['b'])]);
    expect(found).toEqual([{ at: 'filter[2].name', detail: expect.stringContaining('already given in filter block 1') }]);
  });

  it('lets unknown names and values through (they come from other resources)', () => {
    expect(check([filter(UNKNOWN, ['x']), filter('secure_boot', UNKNOWN), filter('tpm_mandatory', [UNKNOWN])])).toEqual([]);
  });

  it('property: any value list of a string filter is valid, any non-boolean text of a bool filter is not', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), fc.string(), (values, text) => {
        expect(check([filter('image_names', values)])).toEqual([]);
        expect(check([filter('secure_boot', [text])]).length === 0).toBe(text === 'true' || text === 'false');
      }),
    );
  });
});

describe('filter conversion', () => {
  it('gives the API keys and types: lists of strings, integers, one boolean', () => {
    const api = filtersToApi(imageFilterSpecs, [
      filter('image_names', ['Debian-12-*', 'Ubuntu*']),
      filter('block_device_mapping_volume_sizes', ['10', '20']),
      filter('secure_boot', ['false']),
      filter('tpm_mandatory', ['true']),
      filter('tags', ['Key:TF66=value:TF66']),
    ]);
    expect(api).toEqual({
      ImageNames: ['Debian-12-*', 'Ubuntu*'],
      BlockDeviceMappingVolumeSizes: [10, 20],
      SecureBoot: false,
      TpmMandatory: true,
      Tags: ['Key:TF66=value:TF66'],
    });
  });

  it('adds the shortcut arguments of both data sources (the Go provider ignored image_ids, panicked on account_ids)', () => {
    const single = objectValue({ filter: [filter('states', ['available'])], image_id: 'ami-1', permission: ['111'] });
    expect(imageFilters(single, IMAGE_SHORTCUTS)).toEqual({ States: ['available'], ImageIds: ['ami-1'], PermissionsToLaunchAccountIds: ['111'] });
    const plural = objectValue({ filter: null, image_ids: ['ami-1', 'ami-2'], account_ids: ['222'], permissions: ['333'] });
    expect(imageFilters(plural, IMAGES_SHORTCUTS)).toEqual({
      ImageIds: ['ami-1', 'ami-2'],
      AccountIds: ['222'],
      PermissionsToLaunchAccountIds: ['333'],
    });
  });

  it('rejects a shortcut argument together with the filter it stands for', () => {
    const d = validateConfig(imagesDataSource, { filter: [filter('account_ids', ['1'])], account_ids: ['2'] });
    expect(d.items.map((i) => [i.path && pathToString(i.path), i.summary])).toEqual([['account_ids', 'Conflicting arguments']]);
    const s = validateConfig(imageDataSource, { filter: [filter('image_ids', ['ami-1'])], image_id: 'ami-2', most_recent: null });
    expect(s.items.map((i) => i.path && pathToString(i.path))).toEqual(['image_id']);
    // a filter whose name is not known yet is not a conflict
    expect(validateConfig(imageDataSource, { filter: [filter(UNKNOWN, ['ami-1'])], image_id: 'ami-2', most_recent: null }).items).toEqual([]);
  });

  it('warns when most_recent has no owner constraint', () => {
    const unsafe = validateConfig(imageDataSource, { filter: [filter('image_names', ['Debian*'])], most_recent: true, image_id: null });
    expect(unsafe.items).toMatchObject([{ severity: 'warning', path: [{ attribute: 'most_recent' }] }]);
    const safe = validateConfig(imageDataSource, {
      filter: [filter('image_names', ['Debian*']), filter('account_aliases', ['Outscale'])],
      most_recent: true,
      image_id: null,
    });
    expect(safe.items).toEqual([]);
  });

  it('stable id: the same query in any order gives the same id, another query another', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 6 }), (names) => {
        const id = queryId({ ImageNames: names, States: ['available'] });
        expect(queryId({ States: ['available'], ImageNames: [...names].reverse() })).toBe(id);
        expect(queryId({ ImageNames: names })).not.toBe(id);
      }),
    );
  });
});

describe('image attributes', () => {
  it('are all set from a sparse Image, without throwing (no mappings, no permissions, no comment)', () => {
    const o = imageObject({ ImageId: 'ami-1' }) as Record<string, unknown>;
    for (const [name, v] of Object.entries(o)) expect(v, name).not.toBeNull();
    expect(o).toMatchObject({ block_device_mappings: [], permissions_to_launch: [], description: '', tags: [] });
  });

  it('keep the public flag of an OMI shared with nobody, and mark each shared account', () => {
    expect(imageObject({ PermissionsToLaunch: { GlobalPermission: true, AccountIds: [] } }).permissions_to_launch).toEqual([
      { account_id: '', global_permission: true },
    ]);
    expect(imageObject({ PermissionsToLaunch: { GlobalPermission: false, AccountIds: ['1', '2'] } }).permissions_to_launch).toEqual([
      { account_id: '1', global_permission: false },
      { account_id: '2', global_permission: false },
    ]);
  });

  it('sort oldest first by creation date then id, whatever order the API answered in', () => {
    const image = fc.record({
      ImageId: fc.constantFrom('ami-a', 'ami-b', 'ami-c', 'ami-d'),
      CreationDate: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00Z', '2026-03-01T00:00:00.000Z'),
    });
    fc.assert(
      fc.property(fc.uniqueArray(image, { maxLength: 4, selector: (i) => i.ImageId }), (images) => {
        const sorted = sortImages(images);
        expect(sortImages([...images].reverse())).toEqual(sorted);
        for (let i = 1; i < sorted.length; i++) {
          const [a, b] = [sorted[i - 1]!, sorted[i]!];
          const [ta, tb] = [Date.parse(a.CreationDate!), Date.parse(b.CreationDate!)];
          expect(ta < tb || (ta === tb && a.ImageId! <= b.ImageId!)).toBe(true);
        }
      }),
    );
  });
});
