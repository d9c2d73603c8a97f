/**
 * What the EPUB edition states about its accessibility (EPUB Accessibility 1.1, schema.org
 * properties with the values of the Accessibility Properties for Discoverability Vocabulary).
 * Each claim describes what the renderer itself guarantees, so it is made here, once.
 */
import type { Charta } from '../../charta.js';
import { showsMarking } from '../views.js';

/** The conformance identifier of EPUB Accessibility 1.1, section "Conformance reporting". */
export const conformance = 'EPUB Accessibility 1.1 - WCAG 2.2 Level AA';

export interface Accessibility {
  accessModes: string[];
  /** Each entry is one set of modes that suffices, comma-separated. */
  accessModesSufficient: string[];
  features: string[];
  hazards: string[];
  /** German, for the reader. */
  summary: string;
  conformsTo: string;
  /** Who evaluated the claim: the publisher, who declares it for its own publication. */
  certifiedBy: string;
}

/** The contents' deepest level by `inhalt.tiefe`, as the summary names it. */
const contentsLevel: Record<number, string> = { 1: 'Teile', 2: 'Kapitel', 3: 'Abschnitte' };

/** The accessibility metadata of `charta`'s EPUB edition. */
export function accessibility(charta: Charta): Accessibility {
  const summary = [
    'Diese Ausgabe erfüllt die Anforderungen von EPUB Accessibility 1.1 und WCAG 2.2 auf Stufe AA.',
    `Sie ist mit Überschriften gegliedert und hat ein Inhaltsverzeichnis bis zur Ebene der ${contentsLevel[charta.meta.inhalt.tiefe] ?? 'Abschnitte'}; die Lesereihenfolge folgt der Gliederung.`,
    'Der Text lässt sich in Schrift, Größe und Farben anpassen.',
    'Der Umschlag und jede Abbildung haben einen Alternativtext.',
    showsMarking(charta)
      ? 'Passagen aus dem Beteiligungsprozess sind nicht nur farbig markiert: Ein Zeichen und der Name der Quelle in eckigen Klammern stehen im Text, markierte Absätze beginnen mit „Beitrag aus:“ und dem Namen der Quelle. Die Legende der Beiträge ist ein eigenes Kapitel.'
      : '',
    'Es gibt keine Töne, Bewegungen oder blinkenden Inhalte.',
  ];
  return {
    // The cover is an image, with its text also on the title page.
    accessModes: ['textual', 'visual'],
    accessModesSufficient: ['textual'],
    features: ['structuralNavigation', 'tableOfContents', 'readingOrder', 'alternativeText', 'displayTransformability'],
    hazards: ['none'],
    summary: summary.filter(Boolean).join(' '),
    conformsTo: conformance,
    certifiedBy: charta.meta.herausgeber,
  };
}
