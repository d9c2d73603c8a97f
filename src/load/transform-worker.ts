/**
 * A worker thread of the load stage (`transform-workers.ts`): transforms the chapters it is sent,
 * with the same context as the main thread, and sends back each chapter's transform.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VFile } from 'vfile';
import { readYaml } from './read-yaml.js';
import { eventsFileSchema, sourcesFileSchema, topicsFileSchema } from './schema.js';
import { diskReader } from './source-reader.js';
import { createProcessor, transformChapter, transformedOf, type Transformed } from './transform-chapter.js';
import type { WorkerInput } from './transform-workers.js';

const input = workerData as WorkerInput;
const yaml = <T>(entry: { path: string; text: string }, schema: Parameters<typeof readYaml>[1]) => readYaml(new VFile({ path: entry.path, value: entry.text }), schema) as T;
const processor = await createProcessor({
  sources: yaml(input.sources, sourcesFileSchema),
  events: yaml(input.events, eventsFileSchema),
  topics: yaml(input.topics, topicsFileSchema),
  marking: input.marking,
  chartaDir: input.chartaDir,
  reader: diskReader,
  chapterIds: new Map(input.chapterIds),
});
const results: Array<Transformed & { refused?: boolean }> = [];
for (const chapter of input.chapters) {
  const file = new VFile({ path: chapter.path, value: chapter.text });
  const tree = await transformChapter(processor, file);
  // A chapter refused (nested too deeply) comes back as its message alone.
  results.push(tree ? transformedOf(file, tree, 0) : { ...transformedOf(file, { type: 'root', children: [] }, 0), refused: true });
}
parentPort!.postMessage(results);
