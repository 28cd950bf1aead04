import { z } from 'zod';

/** A Redis server, sentinel or cluster node, as a client dials it. */
export interface RedisAddress {
  host: string;
  port: number;
}

/**
 * Several Redis nodes (a cluster's, or the sentinels of a monitored master) and how every
 * connection to them and to the servers they name is made: one user name, password and
 * TLS choice for all, given in the entries' URL form.
 */
export interface RedisNodes {
  addresses: RedisAddress[];
  username?: string;
  password?: string;
  tls: boolean;
}

/** Which Redis the service uses: one server, a cluster, or the master a set of sentinels names. */
export type RedisTopology =
  | { kind: 'server'; url: string }
  | ({ kind: 'cluster' } & RedisNodes)
  | ({ kind: 'sentinel'; masterName: string } & RedisNodes);

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/;

function entryOf(text: string): { address: RedisAddress; scheme: string; username: string; password: string } | string {
  const url = /^[a-z]+:\/\//.test(text) ? (URL.canParse(text) ? new URL(text) : undefined) : URL.canParse(`redis://${text}`) && HOST_PORT.test(text) ? new URL(`redis://${text}`) : undefined;
  if (!url || !['redis:', 'rediss:'].includes(url.protocol) || !url.hostname) return `"${text}" is neither HOST:PORT nor a redis:// or rediss:// URL`;
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) return `"${text}" must name a node only (no database number, query or fragment)`;
  const port = Number(url.port || 6379);
  return {
    address: { host: url.hostname.replace(/^\[|\]$/g, ''), port },
    scheme: url.protocol,
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

/**
 * A comma-separated list of nodes: `HOST:PORT`, or `redis://` / `rediss://` URLs when a
 * password or TLS is needed. Every entry must agree on those, since they apply to every
 * connection (the nodes the client discovers are not in the list).
 */
export const redisNodeList = z.string().transform((value, ctx): RedisNodes => {
  const entries = value.split(',').map((part) => entryOf(part.trim()));
  const problem = entries.find((entry) => typeof entry === 'string');
  const parsed = entries.filter((entry) => typeof entry !== 'string');
  const [first] = parsed;
  if (problem !== undefined || !first) {
    ctx.addIssue(problem ?? 'must list at least one node as HOST:PORT');
    return z.NEVER;
  }
  if (parsed.some((entry) => entry.scheme !== first.scheme || entry.username !== first.username || entry.password !== first.password)) {
    ctx.addIssue('every entry must use the same scheme (redis:// or rediss://), user name and password: they apply to every node');
    return z.NEVER;
  }
  return { addresses: parsed.map((entry) => entry.address), username: first.username || undefined, password: first.password || undefined, tls: first.scheme === 'rediss:' };
});

export const sentinelMasterName = z.string().regex(/^[\w.-]{1,100}$/, 'must be the name the sentinels monitor the master under (letters, digits, _ . -)');

/**
 * The topology the settings describe; a combination that leaves the choice open is a
 * problem line naming the variable.
 */
export function redisTopologyOf(settings: {
  url?: string;
  cluster?: RedisNodes;
  sentinels?: RedisNodes;
  masterName?: string;
}): { topology?: RedisTopology; problems: string[] } {
  const { url, cluster, sentinels, masterName } = settings;
  const problems = [
    url && cluster && 'REDIS_CLUSTER_NODES: cannot be combined with REDIS_URL (set REDIS_URL for one server, REDIS_CLUSTER_NODES for a cluster)',
    url && sentinels && 'REDIS_SENTINELS: cannot be combined with REDIS_URL (set REDIS_URL for one server, REDIS_SENTINELS for a master found through sentinels)',
    cluster && sentinels && 'REDIS_SENTINELS: cannot be combined with REDIS_CLUSTER_NODES (a cluster finds its own masters)',
    masterName !== undefined && !sentinels && 'REDIS_SENTINEL_NAME: only used with REDIS_SENTINELS',
  ].filter((line): line is string => typeof line === 'string');
  if (problems.length > 0) return { problems };
  const topology: RedisTopology | undefined = url
    ? { kind: 'server', url }
    : cluster
      ? { kind: 'cluster', ...cluster }
      : sentinels
        ? { kind: 'sentinel', masterName: masterName ?? 'mymaster', ...sentinels }
        : undefined;
  return { topology, problems };
}
