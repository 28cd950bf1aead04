import { ClientOfflineError, ErrorReply, MultiErrorReply, RootNodesUnavailableError, SocketClosedUnexpectedlyError, SocketTimeoutError, TimeoutError } from 'redis';
import { isBackendUnavailable } from '../../../src/infra/db-errors';

describe('A Redis server, cluster or sentinel-managed master that cannot serve a request right now', () => {
  it.each([
    ['a command left unanswered past its timeout', new TimeoutError()],
    ['a connection the server closed under a command (killed with kill -9)', new SocketClosedUnexpectedlyError()],
    ['a socket that stopped delivering data', new SocketTimeoutError(1000)],
    ['a command sent while the client is reconnecting', new ClientOfflineError()],
    ['a cluster none of whose listed nodes answers', new RootNodesUnavailableError()],
    ['a write reaching a master just demoted by a failover', new ErrorReply("READONLY You can't write against a read only replica.")],
    ['a cluster with slots uncovered', new ErrorReply('CLUSTERDOWN The cluster is down')],
    ['a slot being moved', new ErrorReply('TRYAGAIN Multiple keys request during rehashing of slot')],
    ['a replica without its master', new ErrorReply('MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no')],
    ['a server still loading its data', new ErrorReply('LOADING Redis is loading the dataset in memory')],
    ['a transaction refused for any of these', new MultiErrorReply([new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value'), new ErrorReply("READONLY You can't write against a read only replica.")], [0, 1])],
  ])('is a back-end outage (503): %s', (_name, err) => {
    expect(isBackendUnavailable(err)).toBe(true);
  });

  it('is not confused with a fault of the request or the code', () => {
    expect(isBackendUnavailable(new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value'))).toBe(false);
    expect(isBackendUnavailable(new ErrorReply("CROSSSLOT Keys in request don't hash to the same slot"))).toBe(false);
    expect(isBackendUnavailable(new MultiErrorReply([new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value')], [0]))).toBe(false);
  });
});
