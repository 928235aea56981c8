// What scripts/adopt/run.mjs takes from docs/getting-started.md: the app's files and its installs.

/** Every fenced block whose first line is `// file: <path>` (or `# file: <path>`), by path. */
export function guideFiles(markdown) {
  const files = new Map();
  for (const [, body] of markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)) {
    const marker = body.match(/^(?:\/\/|#) file: (\S+)\n/);
    if (!marker) continue;
    if (files.has(marker[1])) throw new Error(`docs/getting-started.md: two blocks write ${marker[1]}`);
    files.set(marker[1], body);
  }
  return files;
}

/** The package specs of every `npm install` line in a bash block, flags left out. */
export function guideInstalls(markdown) {
  const specs = [];
  for (const [, body] of markdown.matchAll(/^```(?:bash|sh|shell)\n([\s\S]*?)^```/gm)) {
    for (const line of body.split('\n')) {
      const words = line.trim().split(/\s+/);
      if (words[0] !== 'npm' || !['install', 'i', 'add'].includes(words[1])) continue;
      specs.push(...words.slice(2).filter((word) => !word.startsWith('-')));
    }
  }
  return specs;
}
