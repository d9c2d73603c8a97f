/**
 * The programmatic API: `import { build, check } from 'charta'`. The same functions the command
 * line runs (`charta build`, `charta check`), without argv: what a build script or another tool
 * needs to build a project's editions or to validate its sources.
 */
export { build, type Artefact, type BuildEvent, type BuildOptions, type BuildResult } from './commands/build.js';
export { check, type CheckOptions } from './commands/check.js';
export { ChartaError, ContentError, ExitCode } from './core/errors.js';
export { defaultFormats, formats, type Format } from './commands/formats.js';
export { formatMessages, messagesAsJson } from './core/messages.js';
export type { Chapter, Charta, Heading, Part } from './charta.js';
