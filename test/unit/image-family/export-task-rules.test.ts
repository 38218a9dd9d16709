// outscale_image_export_task: the configured prefix recovered from what the API reports (the Go provider cut it at
// the first "/"), and the request built from the configuration.
import { describe, expect, it } from 'vitest';
import { objectValue } from '../../../src/protocol/value.js';
import { configuredPrefix, osuExportRequest, taskToState } from '../../../src/resources/image-export-task/convert.js';

describe('export task prefix', () => {
  it.each([
    ['PREFIX/ami-12345678/', null, 'PREFIX'],
    ['a/b/c/ami-12345678/', null, 'a/b/c'],
    ['ami-12345678/', null, null],
    ['a/b/ami-12345678/', 'a/b', 'a/b'],
    ['exports//ami-12345678/', 'exports/', 'exports/'],
    ['other/ami-12345678/', 'a/b', 'other'],
    [undefined, 'kept', 'kept'],
  ])('API %j with state %j reads back %j', (reported, known, expected) => {
    expect(configuredPrefix(reported as string | undefined, 'ami-12345678', known)).toBe(expected);
  });

  it('keeps the state-only API key and the configured prefix when refreshing', () => {
    const key = [objectValue({ api_key_id: 'AK', secret_key: 'SK' })];
    const carried = objectValue({
      osu_export: [objectValue({ disk_image_format: 'qcow2', osu_bucket: 'b', osu_prefix: 'x/y', osu_manifest_url: null, osu_api_key: key })],
      wait_for_completion: false,
      request_id: 'r',
      timeouts: null,
    });
    const state = taskToState(
      { TaskId: 'image-export-1', ImageId: 'ami-1', State: 'pending', Progress: 40, OsuExport: { DiskImageFormat: 'qcow2', OsuBucket: 'b', OsuPrefix: 'x/y/ami-1/' } },
      carried,
    );
    expect(state).toMatchObject({ id: 'image-export-1', state: 'pending', progress: 40, comment: '', wait_for_completion: false, request_id: 'r', tags: [] });
    expect(state.osu_export).toEqual([objectValue({ disk_image_format: 'qcow2', osu_bucket: 'b', osu_prefix: 'x/y', osu_manifest_url: null, osu_api_key: key })]);
  });

  it('sends only what is configured', () => {
    expect(osuExportRequest(objectValue({ disk_image_format: 'raw', osu_bucket: 'b', osu_prefix: null, osu_manifest_url: null, osu_api_key: [] }))).toEqual({
      DiskImageFormat: 'raw',
      OsuBucket: 'b',
    });
    expect(
      osuExportRequest(objectValue({ disk_image_format: 'qcow2', osu_bucket: 'b', osu_prefix: 'p/q', osu_manifest_url: null, osu_api_key: [objectValue({ api_key_id: 'AK', secret_key: 'SK' })] })),
    ).toEqual({ DiskImageFormat: 'qcow2', OsuBucket: 'b', OsuPrefix: 'p/q', OsuApiKey: { ApiKeyId: 'AK', SecretKey: 'SK' } });
  });
});

describe('export task errors', () => {
  it('never carry the OOS secret key, and keep the code and request id', async () => {
    const { OscApiError } = await import('../../../src/outscale/errors.js');
    const { withoutSecret } = await import('../../../src/resources/image-export-task/resource.js');
    const echoed = new OscApiError({ action: 'CreateImageExportTask', httpStatus: 400, requestId: 'req-1', errors: [{ Code: '4047', Type: 'InvalidParameterValue', Details: 'bad key s3cr3tKEY' }] });
    const cleaned = withoutSecret(echoed, 's3cr3tKEY') as Error;
    expect(cleaned.message).not.toContain('s3cr3tKEY');
    expect(cleaned.message).toContain('***');
    expect(cleaned.message).toContain('code 4047');
    expect(cleaned.message).toContain('req-1');
    const unrelated = new Error('no secret here');
    expect(withoutSecret(unrelated, 's3cr3tKEY')).toBe(unrelated);
  });
});
