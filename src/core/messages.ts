/**
 * Content problems are vfile messages with a place. This module makes them (errors and warnings,
 * always with `source: 'charta'` and a rule id) and prints them like a compiler or as JSON.
 */
import path from 'node:path';
import type { Node, Point, Position } from 'unist';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';

type Place = Point | Position | undefined;

/** Records an error on `file` without stopping: the build goes on to find more. */
export function error(file: VFile, reason: string, place: Place | Node, ruleId: string): VFileMessage {
  const message = file.message(reason, { place: placeOf(place), ruleId, source: 'charta' });
  message.fatal = true;
  return message;
}

/** Records a warning on `file`. */
export function warn(file: VFile, reason: string, place: Place | Node, ruleId: string): VFileMessage {
  const message = file.message(reason, { place: placeOf(place), ruleId, source: 'charta' });
  message.fatal = false;
  return message;
}

function placeOf(place: Place | Node): Point | Position | undefined {
  if (!place) return undefined;
  if ('type' in place) return (place as Node).position;
  return place;
}

/** Whether any of the files has an error. */
export function hasErrors(files: VFile[]): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal === true));
}

export function countMessages(files: VFile[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal === true) errors++;
      else warnings++;
    }
  }
  return { errors, warnings };
}

/** One message as a compiler prints it: `charta/x.md:14:3  error  Reason  (rule-id)`. */
export function formatMessage(file: VFile, message: VFileMessage, cwd: string): string {
  const name = path.relative(cwd, file.path) || file.path;
  const where = message.line ? `${name}:${message.line}:${message.column ?? 1}` : name;
  const severity = message.fatal ? 'error' : 'warning';
  return `${where}  ${severity}  ${message.reason}  (${message.ruleId ?? 'charta'})`;
}

/** All messages of all files, sorted by file and place, as text lines. */
export function formatMessages(files: VFile[], cwd: string): string[] {
  return sortedMessages(files).map(({ file, message }) => formatMessage(file, message, cwd));
}

/** All messages as plain objects, for `--format json`. */
export function messagesAsJson(files: VFile[], cwd: string) {
  return sortedMessages(files).map(({ file, message }) => ({
    file: path.relative(cwd, file.path) || file.path,
    line: message.line ?? null,
    column: message.column ?? null,
    endLine: message.place && 'start' in message.place ? message.place.end.line : null,
    endColumn: message.place && 'start' in message.place ? message.place.end.column : null,
    severity: message.fatal ? 'error' : 'warning',
    message: message.reason,
    ruleId: message.ruleId ?? null,
  }));
}

function sortedMessages(files: VFile[]) {
  const all = files.flatMap((file) => file.messages.map((message) => ({ file, message })));
  return all.sort(
    (a, b) =>
      a.file.path.localeCompare(b.file.path) ||
      (a.message.line ?? 0) - (b.message.line ?? 0) ||
      (a.message.column ?? 0) - (b.message.column ?? 0),
  );
}
