/** Types of tarball-check.mjs (scripts/adopt/run.mjs loads the .mjs; the spec loads it through these). */
export declare function listPackages(root: string): Array<{ name: string; dir: string; private: boolean }>;
export declare function checkTarball(file: string, scratch: string): string[];
