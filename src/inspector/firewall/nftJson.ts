// Reading the untyped JSON that `nft -j` prints: every access checks the shape first.

/** A value of the nft JSON, not yet checked. */
export type Json = unknown;
/** A JSON object. */
export type Obj = Record<string, unknown>;

/** True for a plain JSON object. */
export function isObj(v: Json): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value when it is a string. */
export function str(v: Json): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The single key of a one-key object (`{"accept": null}` → `accept`). */
export function soleKey(v: Json): string | undefined {
  if (!isObj(v)) {
    return undefined;
  }
  const keys = Object.keys(v);
  return keys.length === 1 ? keys[0] : undefined;
}
