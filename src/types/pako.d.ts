// pako 1.x ships no types; Press uses only its deflate, whose output is the same on every machine.
declare module "pako" {
  export function deflate(data: Uint8Array, options?: { level?: number }): Uint8Array;
  const pako: { deflate: typeof deflate };
  export default pako;
}
