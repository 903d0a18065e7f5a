import { deadLetter } from './dead-letter';
import { recordBytes } from './produce-requests';

describe('deadLetter', () => {
  const batch = { topic: 'transfers.onchain.v1', partition: 2 };
  const binary = Buffer.from([0xff, 0x00, 0xfe]);

  it('keeps a null key, binary and repeated header values as they came', () => {
    const letter = deadLetter(
      'transfers.dlq.v1',
      batch,
      {
        offset: '7',
        key: null,
        value: Buffer.from('{'),
        headers: { trace: binary, hop: [binary, Buffer.from('b')], gone: undefined },
        timestamp: '0',
      },
      'INVALID_JSON',
      'not JSON',
    );
    expect(letter.key).toBeNull();
    expect(letter.headers).toMatchObject({
      trace: binary,
      hop: [binary, Buffer.from('b')],
      'dlq-error-code': 'INVALID_JSON',
      'dlq-source-offset': '7',
    });
    expect(letter.headers).not.toHaveProperty('gone');
    // Each repeated value is counted in the request size.
    expect(recordBytes(letter)).toBeGreaterThan(recordBytes({ ...letter, headers: {} }) + 3 * 3);
  });

  it('gives a tombstone an empty value', () => {
    const letter = deadLetter(
      'transfers.dlq.v1',
      batch,
      { offset: '8', key: Buffer.from('k'), value: null, headers: {}, timestamp: '0' },
      'EMPTY_VALUE',
      'null message value (a tombstone)',
    );
    expect(letter.value).toEqual(Buffer.alloc(0));
    expect(letter.key).toEqual(Buffer.from('k'));
  });
});
