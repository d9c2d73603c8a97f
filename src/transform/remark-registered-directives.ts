/**
 * Directive syntax (remark-directive's) for the registered names only. German text is full of
 * colons: `Mitarbeiter:innen`, `10:30 Uhr`, `Verhältnis 2:1`. With plain remark-directive,
 * `Bürger:innen` would become a directive named `innen`; here anything that is not
 * `:name`/`::name`/`:::name` with a registered name stays the text it was.
 */
import { directive } from 'micromark-extension-directive';
import { directiveFromMarkdown, directiveToMarkdown } from 'mdast-util-directive';
import { asciiAlphanumeric } from 'micromark-util-character';
import type { Code, Construct, Extension, State, TokenizeContext, Tokenizer } from 'micromark-util-types';
import type { Root } from 'mdast';
import type { Processor } from 'unified';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { error, warn } from '../core/messages.js';

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    chartaDirectiveProbe: 'chartaDirectiveProbe';
  }
}

export interface Options {
  /** The directive names that are directives; every other `:name` is text. */
  names: readonly string[];
}

const colon = 58;
const dash = 45;
const underscore = 95;

/**
 * Adds directive syntax limited to `options.names`, and reports paragraphs that start like a
 * block directive but did not become one: a registered name whose `{…}` or `[…]` is not closed
 * (an error, the passage would be printed with its markup), or a name that is not registered
 * (a warning: a typo, most likely).
 */
export default function remarkRegisteredDirectives(this: Processor, options: Options) {
  const data = this.data() as Record<string, unknown[] | undefined>;
  const names = new Set(options.names);
  (data.micromarkExtensions ??= []).push(registeredDirective(names));
  (data.fromMarkdownExtensions ??= []).push(directiveFromMarkdown());
  (data.toMarkdownExtensions ??= []).push(directiveToMarkdown());
  return (tree: Root, file: VFile) => {
    visit(tree, 'paragraph', (node) => {
      const first = node.children[0];
      if (first?.type !== 'text') return;
      const match = /^(:{2,})([A-Za-z][\w-]*)/.exec(first.value);
      if (!match) return;
      const written = `${match[1]}${match[2]}`;
      if (names.has(match[2]!)) {
        error(file, `\`${written}\` cannot be read: close its \`{…}\` with \`}\` and its label with \`]\``, node, 'directive-syntax');
      } else {
        warn(file, `\`${written}\` is not a known directive; it is kept as text`, node, 'unknown-directive');
      }
    });
  };
}

function registeredDirective(names: Set<string>): Extension {
  const syntax = directive();
  const text = syntax.text?.[colon] as Construct;
  const flow = syntax.flow?.[colon] as Construct[];
  return {
    text: { [colon]: guarded(text, names) },
    flow: { [colon]: flow.map((construct) => guarded(construct, names)) },
  };
}

/** The construct, attempted only where a registered name follows the colons. */
function guarded(construct: Construct, names: Set<string>): Construct {
  const probe: Construct = { tokenize: probeName(names), partial: true };
  const tokenize: Tokenizer = function (this: TokenizeContext, effects, ok, nok) {
    const inner = construct.tokenize.call(this, effects, ok, nok);
    return (code: Code) => effects.check(probe, inner, nok)(code);
  };
  return { ...construct, tokenize };
}

function probeName(names: Set<string>): Tokenizer {
  return function (effects, ok, nok) {
    let name = '';
    const colons: State = (code) => {
      if (code === colon) {
        effects.consume(code);
        return colons;
      }
      return inName(code);
    };
    const inName: State = (code) => {
      if (code !== null && (asciiAlphanumeric(code) || code === dash || code === underscore)) {
        name += String.fromCharCode(code);
        effects.consume(code);
        return inName;
      }
      effects.exit('chartaDirectiveProbe');
      return names.has(name) ? ok(code) : nok(code);
    };
    return (code) => {
      effects.enter('chartaDirectiveProbe');
      return colons(code);
    };
  };
}
