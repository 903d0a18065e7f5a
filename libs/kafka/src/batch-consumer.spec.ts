import { KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { isGroupMembershipError } from './batch-consumer';

/** Shaped as kafkajs' KafkaJSProtocolError (src/errors.js): the broker's error name in `type`. */
function protocolError(type: string, code: number): Error {
  return Object.assign(new Error(type), {
    name: 'KafkaJSProtocolError',
    type,
    code,
    retriable: true,
  });
}

describe('isGroupMembershipError', () => {
  it.each([
    ['REBALANCE_IN_PROGRESS', 27],
    ['ILLEGAL_GENERATION', 22],
    ['NOT_COORDINATOR_FOR_GROUP', 16],
    ['UNKNOWN_MEMBER_ID', 25],
  ])('lets %s out of the retry loop so kafkajs rejoins', (type, code) => {
    expect(isGroupMembershipError(protocolError(type, code))).toBe(true);
  });

  it('finds it under the retries-exceeded wrapper of a commit', () => {
    const wrapped = new KafkaJSNumberOfRetriesExceeded(protocolError('REBALANCE_IN_PROGRESS', 27), {
      retryCount: 8,
      retryTime: 5000,
    });
    expect(isGroupMembershipError(wrapped)).toBe(true);
  });

  it.each([
    new Error('Connection is closed.'),
    protocolError('NOT_LEADER_FOR_PARTITION', 6),
    protocolError('INVALID_PRODUCER_EPOCH', 47),
    null,
    undefined,
  ])('keeps other failures (%p) in the retry loop', (error) => {
    expect(isGroupMembershipError(error)).toBe(false);
  });
});
