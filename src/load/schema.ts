/**
 * The schemas of the charta's YAML files. The code validates with these, and
 * `scripts/write-schemas.ts` turns them into the JSON Schemas in `schemas/` that editors'
 * editors use, so the two cannot drift.
 */
import { z } from 'zod';
import { standPattern } from './identifiers.js';

/** The schema messages in English, the language of all the toolkit's messages. */
z.config(z.locales.en());

const isoDatePattern = /^\d{4}-\d{2}(-\d{2})?$/;

const isoDate = z
  .string()
  .regex(isoDatePattern, 'expected a date as YYYY-MM-DD or YYYY-MM')
  .refine(isCalendarDate, 'expected a date that exists: month 01–12, a day the month has');

/** Whether `YYYY-MM(-DD)` names a real month or day (not 2023-13 or 2023-02-30). */
function isCalendarDate(value: string): boolean {
  if (!isoDatePattern.test(value)) return true; // The pattern's own message says what is wrong.
  const [year = 0, month = 0, day = 1] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected an id of lower-case letters, digits and hyphens');

const url = z.string().regex(/^https?:\/\/\S+$/, 'expected an address starting with http:// or https://');

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour as #rrggbb');

export const partSchema = z
  .object({
    id: id.describe('Kennung des Teils, erscheint in Adressen'),
    titel: z.string().min(1).describe('Titel des Teils'),
    ordner: z.string().regex(/^[\w-]+$/, 'expected a folder name without path separators').describe('Ordner mit den Kapiteln'),
    einleitung: z.string().optional().describe('Einleitung auf der Titelseite des Teils'),
  })
  .strict();

export const versionSchema = z
  .object({
    version: z.string().min(1).describe('Version, als Text in Anführungszeichen: "1.0"'),
    datum: isoDate.describe('Datum, an dem diese Version erschienen ist'),
    stand: z
      .string()
      .min(1)
      .meta({ pattern: standPattern.source })
      .optional()
      .describe('Git-Revision (Commit oder Tag) mit den Quellen dieser Version; nötig für alle außer der neuesten'),
    notiz: z.string().min(1).optional().describe('Kurze Notiz: was diese Version ausmacht'),
  })
  .strict();

export const metadataSchema = z
  .object({
    titel: z.string().min(1).describe('Titel der Publikation'),
    untertitel: z.string().optional(),
    version: z.string().min(1).describe('Version, als Text in Anführungszeichen: "1.0"'),
    datum: isoDate.describe('Datum dieser Ausgabe'),
    sprache: z.literal('de').describe('Sprache der Publikation'),
    kennung: z.string().regex(/^(urn:uuid:[0-9a-f-]{36}|urn:isbn:[\d-]+|https?:\/\/\S+)$/, 'expected an identifier urn:uuid:…, urn:isbn:… or an address'),
    autor: z.string().min(1),
    herausgeber: z.string().min(1),
    beschreibung: z.string().min(1),
    schlagwoerter: z.array(z.string().min(1)).default([]),
    partner: z
      .array(z.object({ name: z.string().min(1), kurz: z.string().min(1), rolle: z.string().optional() }).strict())
      .min(1),
    foerderung: z.string().min(1),
    begleitung: z.string().optional(),
    kontakt: z.object({ web: url, email: z.string().email().optional(), telefon: z.string().optional() }).strict(),
    rueckmeldung: url.describe('Adresse für Rückmeldungen zur Charta'),
    rechte: z.string().min(1),
    teile: z.array(partSchema).min(1),
    versionen: z
      .array(versionSchema)
      .optional()
      .describe('Versionsgeschichte, die älteste zuerst; die letzte ist diese Version'),
    inhalt: z
      .object({
        tiefe: z
          .number()
          .int()
          .min(1)
          .max(3)
          .default(3)
          .describe('Wie tief das Inhaltsverzeichnis reicht: 1 Teile, 2 Kapitel, 3 Abschnitte (## im Kapitel)'),
      })
      .strict()
      .default({ tiefe: 3 })
      .describe('Das Inhaltsverzeichnis der drei Ausgaben'),
  })
  .strict();

export const sourceSchema = z
  .object({
    id: id.describe('Kennung, die `quelle=` in der Markierung nennt'),
    bezeichnung: z.string().min(1).describe('Name der Quelle in der Legende'),
    kurz: z.string().min(1).describe('Kurzname, der an jeder markierten Stelle steht'),
    datum: isoDate.optional(),
    bis: isoDate.optional(),
    ort: z.string().optional(),
    farbe: hexColour.describe('Farbe der Markierung; mindestens 3:1 Kontrast zu Weiß'),
    marker: z.string().min(1).max(2).describe('Zeichen, das die Quelle ohne Farbe kenntlich macht'),
    beschreibung: z.string().optional(),
  })
  .strict();

export const sourcesFileSchema = z.object({ quellen: z.array(sourceSchema).min(1) }).strict();

export const eventSchema = z
  .object({
    titel: z.string().min(1),
    datum: isoDate,
    bis: isoDate.optional(),
    ort: z.string().optional(),
    art: z.enum(['Meilenstein', 'Zukunftsforum', 'Kongress', 'Tour', 'Veröffentlichung', 'Dialog']),
    beschreibung: z.string().min(1),
    quelle: id.optional(),
  })
  .strict();

export const eventsFileSchema = z.object({ veranstaltungen: z.array(eventSchema) }).strict();

const approachSchema = z.union([
  z.string().min(1),
  z.object({ text: z.string().min(1), quelle: id }).strict(),
]);

export const topicSchema = z
  .object({
    id,
    titel: z.string().min(1),
    beschreibung: z.string().min(1),
    ziele: z
      .array(z.object({ titel: z.string().min(1), ansaetze: z.array(approachSchema).min(1) }).strict())
      .min(1),
  })
  .strict();

export const topicsFileSchema = z.object({ themenfelder: z.array(topicSchema) }).strict();

/** The YAML files of a charta, by file name, with the schema each must satisfy. */
export const yamlFiles = {
  'charta.yaml': metadataSchema,
  'quellen.yaml': sourcesFileSchema,
  'veranstaltungen.yaml': eventsFileSchema,
  'themen.yaml': topicsFileSchema,
} as const;

export type Metadata = z.infer<typeof metadataSchema>;
/** One entry of the version history (`versionen` in charta.yaml). */
export type VersionEntry = z.infer<typeof versionSchema>;
export type PartConfig = z.infer<typeof partSchema>;
export type Source = z.infer<typeof sourceSchema>;
export type CharterEvent = z.infer<typeof eventSchema>;
export type Topic = z.infer<typeof topicSchema>;
