import type { ChildProcess } from 'node:child_process';

/** Kills the servers a test started (resuming any it paused, so they can die) and waits until they are gone. */
export async function killAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children
      .filter((child) => child.exitCode === null)
      .map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        return exited;
      }),
  );
}
