import { redisAccessFailure } from './verify-redis-access';

const replyError = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });
const socketError = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('redisAccessFailure', () => {
  it.each<[string, unknown, string | null]>([
    ['a wrong password', replyError('WRONGPASS invalid username-password pair'), 'authentication'],
    ['no credentials', replyError('NOAUTH Authentication required.'), 'authentication'],
    [
      'a command the ACL refuses',
      replyError("NOPERM this user has no permissions to run the 'info' command"),
      'authentication',
    ],
    [
      'an untrusted certificate',
      socketError('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'),
      'certificate',
    ],
    [
      'a host name mismatch',
      socketError(
        "Hostname/IP does not match certificate's altnames",
        'ERR_TLS_CERT_ALTNAME_INVALID',
      ),
      'certificate',
    ],
    [
      'a refused connection',
      socketError('connect ECONNREFUSED 127.0.0.1:6390', 'ECONNREFUSED'),
      null,
    ],
    ['a closed connection', new Error('Connection is closed.'), null],
    ['not an error', 'x', null],
  ])('%s', (_what, error, expected) => {
    expect(redisAccessFailure(error)).toBe(expected);
  });
});
