import fs from 'node:fs';
import path from 'node:path';

/** The folder holding package.json, views/, locales/ and public/, from sources or the build. */
function findProjectRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot(__dirname);
export const fromRoot = (...parts: string[]): string => path.join(projectRoot, ...parts);
