/** Pathological Markdown inputs (bench/pathological.mjs). */
export declare const PATHOLOGICAL: { name: string; text: string }[];
