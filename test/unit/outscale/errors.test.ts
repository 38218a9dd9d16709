import { describe, expect, it } from 'vitest';
import {
  OscAbortError,
  OscApiError,
  OscNetworkError,
  isAbortError,
  isImageNotFoundError,
  isThrottlingError,
} from '../../../src/outscale/errors.js';
import { interpretResponse, parseRetryAfter } from '../../../src/outscale/response.js';

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('interpretResponse', () => {
  it('returns the parsed body of a 2xx answer, {} for an empty one', () => {
    expect(interpretResponse('ReadImages', 200, {}, '{"Images":[]}')).toEqual({ Images: [] });
    expect(interpretResponse('DeleteImage', 200, {}, '')).toEqual({});
  });

  it('maps the documented error body to OscApiError with a readable message', () => {
    const err = errorOf(() =>
      interpretResponse(
        'CreateImage',
        400,
        {},
        JSON.stringify({
          Errors: [{ Code: '5023', Type: 'InvalidResource', Details: "The ImageId 'ami-12345678' doesn't exist." }],
          ResponseContext: { RequestId: '0475ca1e-d0c5-441d-712a-da55a4175157' },
        }),
      ),
    );
    expect(err).toBeInstanceOf(OscApiError);
    const e = err as OscApiError;
    expect(e.action).toBe('CreateImage');
    expect(e.httpStatus).toBe(400);
    expect(e.code).toBe('5023');
    expect(e.type).toBe('InvalidResource');
    expect(e.details).toBe("The ImageId 'ami-12345678' doesn't exist.");
    expect(e.requestId).toBe('0475ca1e-d0c5-441d-712a-da55a4175157');
    expect(e.message).toBe(
      "CreateImage failed: 5023 InvalidResource: The ImageId 'ami-12345678' doesn't exist. " +
        '(HTTP 400, request id 0475ca1e-d0c5-441d-712a-da55a4175157)',
    );
    expect(isImageNotFoundError(e)).toBe(true);
    expect(isThrottlingError(e)).toBe(false);
  });

  it('keeps every entry of a multi-error body', () => {
    const e = errorOf(() =>
      interpretResponse(
        'CreateTags',
        400,
        {},
        JSON.stringify({
          Errors: [
            { Code: '4069', Type: 'InvalidParameterValue', Details: 'bad key' },
            { Code: '4070', Type: 'InvalidParameterValue' },
          ],
        }),
      ),
    ) as OscApiError;
    expect(e.errors).toHaveLength(2);
    expect(e.hasCode(4070)).toBe(true);
    expect(e.message).toBe('CreateTags failed: 4069 InvalidParameterValue: bad key; 4070 InvalidParameterValue (HTTP 400)');
  });

  it('handles non-JSON bodies (gateway HTML) with a short excerpt', () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>' + 'x'.repeat(500) + '</body></html>';
    const e = errorOf(() => interpretResponse('ReadImages', 502, { 'x-request-id': 'abc' }, html)) as OscApiError;
    expect(e.httpStatus).toBe(502);
    expect(e.code).toBeUndefined();
    expect(e.message).toMatch(/^ReadImages failed: unexpected response body: "502 Bad Gateway 502 Bad Gateway x+…" \(HTTP 502, request id abc\)$/);
    expect(e.message.length).toBeLessThan(300);
  });

  it('handles an empty error body', () => {
    const e = errorOf(() => interpretResponse('DeleteImage', 500, {}, '')) as OscApiError;
    expect(e.message).toBe('DeleteImage failed: empty response body (HTTP 500)');
  });

  it('adds a hint on 401', () => {
    const e = errorOf(() =>
      interpretResponse('ReadImages', 401, {}, JSON.stringify({ Errors: [{ Code: '1', Type: 'AccessDenied', Details: 'Authentication failed' }] })),
    ) as OscApiError;
    expect(e.httpStatus).toBe(401);
    expect(e.message).toContain('ReadImages failed: 1 AccessDenied: Authentication failed (HTTP 401)');
    expect(e.message).toMatch(/access key and secret key.*clock/);
  });

  it('decodes legacy __type and problem+json bodies', () => {
    const legacy = errorOf(() => interpretResponse('ReadVms', 400, {}, '{"__type":"ValidationError","message":"bad"}')) as OscApiError;
    expect(legacy.type).toBe('ValidationError');
    expect(legacy.details).toBe('bad');
    const problem = errorOf(() =>
      interpretResponse('ReadVms', 400, {}, '{"type":"about:blank","title":"Bad Request","status":400,"detail":"oops"}'),
    ) as OscApiError;
    expect(problem.type).toBe('Bad Request');
    expect(problem.details).toBe('oops');
  });

  it('classifies 429 and 503 as throttling and reads Retry-After', () => {
    const e = errorOf(() =>
      interpretResponse(
        'ReadImages',
        429,
        { 'retry-after': '3' },
        JSON.stringify({ Errors: [{ Code: '25', Type: 'ErrorOperationThrottledPerCall', Details: 'Request rate exceeded' }] }),
      ),
    ) as OscApiError;
    expect(isThrottlingError(e)).toBe(true);
    expect(e.retryAfterMs).toBe(3000);
    const e503 = errorOf(() => interpretResponse('ReadImages', 503, {}, 'Service Unavailable')) as OscApiError;
    expect(isThrottlingError(e503)).toBe(true);
  });

  it('rejects a 2xx whose body is not a JSON object', () => {
    const e = errorOf(() => interpretResponse('ReadImages', 200, {}, 'not json')) as OscApiError;
    expect(e).toBeInstanceOf(OscApiError);
    expect(e.httpStatus).toBe(200);
  });

  it('scrubs server-provided text with the redact hook', () => {
    const e = errorOf(() =>
      interpretResponse('ReadImages', 400, {}, JSON.stringify({ Errors: [{ Code: '4000', Details: 'echo SECRET123' }] }), (t) =>
        t.split('SECRET123').join('***'),
      ),
    ) as OscApiError;
    expect(e.message).not.toContain('SECRET123');
  });
});

describe('parseRetryAfter', () => {
  it('parses seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:10 GMT', Date.UTC(2026, 0, 1, 12, 0, 0))).toBe(10000);
    expect(parseRetryAfter('garbage')).toBeUndefined();
  });
});

describe('other errors', () => {
  it('OscNetworkError names host, action and whether the request may have executed', () => {
    const notSent = new OscNetworkError({ action: 'CreateImage', host: 'api.eu-west-2.outscale.com', kind: 'refused', mayHaveExecuted: false, reason: 'connection refused' });
    expect(notSent.message).toBe('CreateImage to api.eu-west-2.outscale.com failed: connection refused (the request was not sent)');
    const sent = new OscNetworkError({ action: 'CreateImage', host: 'h:1', kind: 'reset', mayHaveExecuted: true, reason: 'connection reset by the server' });
    expect(sent.message).toContain('may have been executed');
  });

  it('OscAbortError is recognisable as cancellation', () => {
    const e = new OscAbortError('ReadImages');
    expect(e.name).toBe('AbortError');
    expect(isAbortError(e)).toBe(true);
    expect(isAbortError(new DOMException('x', 'AbortError'))).toBe(true);
    expect(isAbortError(new Error('x'))).toBe(false);
  });
});
