/** libuv's own default, when nothing sets UV_THREADPOOL_SIZE. */
const LIBUV_DEFAULT = 4;

/** The size of the libuv thread pool a process started with this environment gets. */
export function threadPoolSize(env: NodeJS.ProcessEnv): number {
  const set = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(set) && set > 0 ? set : LIBUV_DEFAULT;
}
