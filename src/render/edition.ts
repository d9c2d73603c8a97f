/**
 * What a renderer returns: the files of an edition, in memory, for the emit stage to write.
 */
export interface EditionFile {
  /** The path inside the edition, with `/` separators. */
  path: string;
  contents: string | Uint8Array;
}
