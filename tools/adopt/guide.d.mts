/** Types of guide.mjs (scripts/adopt/run.mjs loads the .mjs; the spec loads it through these). */
export declare function guideFiles(markdown: string): Map<string, string>;
export declare function guideInstalls(markdown: string): string[];
