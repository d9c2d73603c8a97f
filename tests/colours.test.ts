/**
 * The marking's colours meet WCAG: the marking at least 3:1 against the page (1.4.11), the label
 * text in the source's colour at least 4.5:1 on the passage's tint (1.4.3), body text likewise.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { contrast, tint } from '../src/core/colours.js';
import { projectRoot } from './helpers.js';

const registry = parse(await readFile(path.join(projectRoot, 'charta', 'quellen.yaml'), 'utf8')) as { quellen: Array<{ id: string; farbe: string }> };
const tokens = await readFile(path.join(projectRoot, 'templates', 'css', 'tokens.css'), 'utf8');
const text = /--farbe-text:\s*(#[0-9a-f]{6})/i.exec(tokens)![1]!;

describe('contrast', () => {
  it('computes the WCAG ratio', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  for (const source of registry.quellen) {
    it(`${source.id} is readable and visible`, () => {
      expect(contrast(source.farbe, '#ffffff')).toBeGreaterThanOrEqual(3);
      expect(contrast(source.farbe, tint(source.farbe))).toBeGreaterThanOrEqual(4.5);
      expect(contrast(text, tint(source.farbe))).toBeGreaterThanOrEqual(4.5);
    });
  }
});
