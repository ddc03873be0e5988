import { describe, expect, it } from 'vitest';
import { JobFailedError } from './job-queue.ts';
import { STORED_MESSAGE_MAX_CHARS, storableJson, storableRunError, toStoredError } from './stored-error.ts';

/** A driver error as pg/PGlite throw them: SQLSTATE, the statement, its parameters, a stack. */
function driverError(): Error {
  return Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00 \u0000 \uD800'), {
    code: '22021',
    query: 'insert into data_sources (device_name) values ($1)',
    params: ['Watch\u0000', 'whsec_secret'],
    severity: 'ERROR',
  });
}

describe('stored errors', () => {
  it('reduce anything thrown to a storable {code, message}: no parameters, statement or stack', () => {
    expect(toStoredError(driverError())).toEqual({
      code: '22021',
      message: 'invalid byte sequence for encoding "UTF8": 0x00 \uFFFD \uFFFD',
    });
    expect(toStoredError('plain \u0000 string')).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'plain \uFFFD string',
    });
    expect(toStoredError({ code: 'not a code: free text', message: 42 })).toEqual({
      code: 'INTERNAL_ERROR',
      message: '42',
    });
    expect(toStoredError(undefined).code).toBe('INTERNAL_ERROR');
    const long = toStoredError(new Error(`${'x'.repeat(STORED_MESSAGE_MAX_CHARS - 1)}\uD83D\uDE00tail`));
    expect(long.message.length).toBeLessThanOrEqual(STORED_MESSAGE_MAX_CHARS + 1);
    expect(toStoredError(new Error(long.message)).message).toBe(long.message); // no half pair left
  });

  it('keep surrogate pairs, and make every string and key of a result storable as jsonb', () => {
    const value = {
      ok: 'emoji \uD83D\uDE00',
      'k\u0000ey': ['\uDC00', Number.POSITIVE_INFINITY, Number.NaN, 1.5, null, true],
      nested: { error: driverError(), at: new Date(0) },
      dropped: () => 1,
    };
    const stored = storableJson(value);
    expect(stored).toEqual({
      ok: 'emoji \uD83D\uDE00',
      'k\uFFFDey': ['\uFFFD', null, null, 1.5, null, true],
      nested: {
        error: { code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00 \uFFFD \uFFFD' },
        at: '1970-01-01T00:00:00.000Z',
      },
    });
    expect(JSON.stringify(stored)).not.toMatch(/\\u0000|\\ud[89a-f]/i);
  });

  it("keep a run error's code and details, with storable strings", () => {
    expect(
      storableRunError({
        code: 'INVALID_FILE',
        message: 'bad \u0000',
        line: 3,
        column: 7,
        details: { x: '\uD800' },
      }),
    ).toEqual({ code: 'INVALID_FILE', message: 'bad \uFFFD', line: 3, column: 7, details: { x: '\uFFFD' } });
    expect(storableRunError(driverError())).toEqual(toStoredError(driverError()));
  });

  it('a failed job hands pg-boss only {code, message} (what serialize-error writes into the job)', () => {
    const error = new JobFailedError(toStoredError(driverError()));
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: '22021',
      message: 'invalid byte sequence for encoding "UTF8": 0x00 \uFFFD \uFFFD',
    });
  });
});
