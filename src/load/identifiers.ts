/**
 * Constants of the charta's YAML files that checks outside the schemas need too. They live apart
 * from `schema.ts`, so that a load whose data comes from the cache does not load zod.
 */

/**
 * What a `stand` may be: a commit hash, a tag or a branch name, never an option (`-…`) nor
 * anything a shell or git would read specially. The loader checks it (`bad-stand`); the JSON
 * Schema carries it for editors.
 */
export const standPattern = /^[A-Za-z0-9._/][A-Za-z0-9._/-]*$/;

/** The `kennung` of the example in templates/init/, which `charta init` replaces by a fresh one. */
export const exampleIdentifier = 'urn:uuid:00000000-0000-4000-8000-000000000000';
