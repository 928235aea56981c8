/** Types of boundaries.mjs (the ESLint config loads the .mjs; the spec loads it through these). */
export declare const LIBRARY_LAYERS: Record<string, string[]>;
export declare function assertAcyclic(layers: Record<string, string[]>): void;
export declare function createImportsRule(layers?: Record<string, string[]>): {
  meta: Record<string, unknown>;
  create(context: unknown): Record<string, (node: unknown) => void>;
};
export declare const boundaries: { rules: Record<string, unknown> };
