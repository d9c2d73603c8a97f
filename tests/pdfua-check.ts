/**
 * A checker of the machine-checkable rules of PDF/UA-1 (ISO 14289-1), each named by its rule id in
 * veraPDF's PDF/UA-1 profile and worded as there (from the standard and the Matterhorn Protocol).
 * veraPDF cannot be installed here; this reads the PDF through qpdf's JSON (`qpdf --json=2`, streams
 * decoded), not through the build's own reader, so that the build's reader cannot hide its own
 * mistakes. Only the content-stream lexer is shared (`src/emit/pdf-content.ts`); what it finds is
 * judged here.
 *
 * Checked: the rules listed in `rules` below. Not checked, as they need the font programs read
 * (glyph widths, cmap subtables, .notdef): 7.21.4.1-t02, 7.21.4.2, 7.21.5, 7.21.6, 7.21.8; nor what
 * only a person can judge (whether alternative text is apt, reading order, colour contrast).
 * 7.21.7-t01 is checked per font (a ToUnicode map), not per glyph.
 */
import { execFile } from 'node:child_process';
import { SaxesParser } from 'saxes';
import { readContent } from '../src/emit/pdf-content.js';

/** A rule: its veraPDF id and its wording. */
export interface Rule {
  id: string;
  text: string;
}

/** A rule with what fails it (empty when it holds). */
export interface RuleOutcome extends Rule {
  failures: string[];
}

/** The rules this checker checks, in the order of the standard. */
export const rules: Rule[] = [
  ['5-t01', 'The PDF/UA version and conformance level of a file shall be specified using the PDF/UA Identification extension schema'],
  ['5-t02', 'The value of "pdfuaid:part" shall be the part number of the International Standard to which the file conforms'],
  ['5-t03', 'Property "part" of the PDF/UA Identification Schema shall have namespace prefix "pdfuaid"'],
  ['6.1-t01', 'The file header shall consist of "%PDF-1.n" followed by a single EOL marker, where \'n\' is a single digit number between 0 (30h) and 7 (37h)'],
  ['6.2-t01', 'The document catalog dictionary shall include a MarkInfo dictionary containing an entry, Marked, whose value shall be true'],
  ['7.1-t01', 'Content marked as Artifact should not be present inside tagged content'],
  ['7.1-t02', 'Tagged content should not be present inside content marked as Artifact'],
  ['7.1-t03', 'Content shall be marked as Artifact or tagged as real content'],
  ['7.1-t04', 'Files shall have a Suspects value of false (ISO 32000-1:2008, Table 321)'],
  ['7.1-t05', 'All non-standard structure types shall be mapped to the nearest functionally equivalent standard type, as defined in ISO 32000-1:2008, 14.8.4, in the role map dictionary of the structure tree root'],
  ['7.1-t06', 'A circular mapping shall not exist'],
  ['7.1-t07', 'Standard tags defined in ISO 32000-1:2008, 14.8.4, shall not be remapped'],
  ['7.1-t08', 'The Catalog dictionary of a conforming file shall contain the Metadata key whose value is a metadata stream as defined in ISO 32000-1:2008, 14.3.2. The metadata stream dictionary shall contain entry Type with value /Metadata and entry Subtype with value /XML'],
  ['7.1-t09', "The Metadata stream in the document's catalog dictionary shall contain a dc:title entry, where dc is the recommended prefix for the Dublin Core metadata schema as defined in the XMP specification, which clearly identifies the document"],
  ['7.1-t10', 'The document catalog dictionary shall include a ViewerPreferences dictionary containing a DisplayDocTitle key, whose value shall be true'],
  ['7.1-t11', 'The logical structure of the conforming file shall be described by a structure hierarchy rooted in the StructTreeRoot entry of the document catalog dictionary, as described in ISO 32000-1:2008, 14.7'],
  ['7.1-t12', 'A structure element dictionary shall contain the P (parent) entry according to ISO 32000-1:2008, 14.7.2, Table 355'],
  ['7.2-t03', 'Table element may contain only TR, THead, TBody, TFoot and Caption elements'],
  ['7.2-t04', 'TR element should be contained in Table, THead, TBody or TFoot element'],
  ['7.2-t05', 'THead element should be contained in Table element'],
  ['7.2-t06', 'TBody element should be contained in Table element'],
  ['7.2-t07', 'TFoot element should be contained in Table element'],
  ['7.2-t08', 'TH element should be contained in TR element'],
  ['7.2-t09', 'TD element should be contained in TR element'],
  ['7.2-t10', 'TR element may contain only TH and TD elements'],
  ['7.2-t11', 'Table element should contain zero or one THead kid'],
  ['7.2-t12', 'Table element should contain zero or one TFoot kid'],
  ['7.2-t13', 'If Table element contains TFoot kid, Table element should contain one or more TBody kids'],
  ['7.2-t14', 'If Table element contains THead kid, Table element should contain one or more TBody kids'],
  ['7.2-t15', 'A table cell shall not have intersection with other cells'],
  ['7.2-t16', 'Table element may contain a Caption element as its first or last kid'],
  ['7.2-t17', 'LI element should be contained in L element'],
  ['7.2-t18', 'LBody element should be contained in LI element'],
  ['7.2-t19', 'L element may contain only L, LI and Caption elements'],
  ['7.2-t20', 'LI element may contain only Lbl and LBody elements'],
  ['7.2-t21', 'Natural language for text in ActualText attribute shall be determined'],
  ['7.2-t22', 'Natural language for text in Alt attribute shall be determined'],
  ['7.2-t23', 'Natural language for text in E attribute shall be determined'],
  ['7.2-t24', 'Natural language in the Contents entry for annotations shall be determined'],
  ['7.2-t26', 'TOCI element should be contained in TOC element'],
  ['7.2-t27', 'TOC element may contain only TOC, TOCI and Caption elements'],
  ['7.2-t28', 'TOC element may contain a Caption element only as its first kid'],
  ['7.2-t29', "If the Lang entry is present in the document's Catalog dictionary or in a structure element dictionary or property list, its value shall be a language identifier as described in ISO 32000-1:2008, 14.9.2"],
  ['7.2-t33', 'Natural language for document metadata shall be determined'],
  ['7.2-t34', 'Natural language for text in page content shall be determined'],
  ['7.2-t36', 'THead element may contain only TR elements'],
  ['7.2-t37', 'TBody element may contain only TR elements'],
  ['7.2-t38', 'TFoot element may contain only TR elements'],
  ['7.2-t39', 'Table element may contain only one Caption element'],
  ['7.2-t40', 'L element may contain a Caption element only as its first kid'],
  ['7.2-t41', 'Table columns shall have the same number of rows (taking into account row spans)'],
  ['7.2-t42', 'Table rows shall have the same number of columns (taking into account column spans)'],
  ['7.3-t01', 'Figure tags shall include an alternative representation or replacement text that represents the contents marked with the Figure tag as noted in ISO 32000-1:2008, 14.7.2, Table 323'],
  ['7.4.2-t01', 'For documents that are not strongly structured, heading tags shall be used as follows: if any heading tags are used, H1 shall be the first; a descending sequence of headers shall proceed in strict numerical order and shall not skip an intervening heading level'],
  ['7.4.4-t01', 'Each node in the tag tree shall contain at most one child H tag'],
  ['7.4.4-t02', 'All documents shall be either strongly or weakly structured, but not both'],
  ['7.5-t01', "If the table's structure is not determinable via Headers and IDs, then structure elements of type TH shall have a Scope attribute"],
  ['7.9-t01', 'Note tag shall have ID entry'],
  ['7.9-t02', 'Each Note tag shall have unique ID key'],
  ['7.10-t01', 'Each optional content configuration dictionary that forms the value of the D key, or that is an element in the array that forms the value of the Configs key in the OCProperties dictionary, shall contain the Name key'],
  ['7.10-t02', 'The AS key shall not appear in any optional content configuration dictionary'],
  ['7.11-t01', 'The file specification dictionary for an embedded file shall contain the non-empty F and UF keys'],
  ['7.15-t01', 'Dynamic XFA forms shall not be used'],
  ['7.16-t01', 'An encrypted conforming file shall contain a P key in its encryption dictionary (ISO 32000-1:2008, 7.6.3.2, Table 21). The 10th bit position of the P key shall be true'],
  ['7.18.1-t01', 'An annotation, excluding annotations of subtype Widget, PrinterMark or Link, shall be nested within an Annot tag'],
  ['7.18.1-t02', 'An annotation (except Widget annotations or hidden annotations, or those having rectangle outside the crop-box) shall have either Contents key or an Alt entry in the enclosing structure element'],
  ['7.18.2-t01', 'Annotations of subtype TrapNet shall not be permitted'],
  ['7.18.3-t01', 'Every page on which there is an annotation shall contain in its page dictionary the key Tabs, and its value shall be S'],
  ['7.18.4-t01', 'A Widget annotation shall be nested within a Form tag per ISO 32000-1:2008, 14.8.4.5, Table 340'],
  ['7.18.5-t01', 'Links shall be tagged according to ISO 32000-1:2008, 14.8.4.4.2, Link Element'],
  ['7.18.5-t02', 'Links shall contain an alternate description via their Contents key as described in ISO 32000-1:2008, 14.9.3'],
  ['7.18.8-t01', 'PrinterMark annotations, if present, shall be considered Incidental Artifacts'],
  ['7.20-t01', 'A conforming file shall not contain any reference XObjects'],
  ['7.21.3.2-t01', 'All embedded Type 2 CIDFonts in the CIDFont dictionary shall contain a CIDToGIDMap entry that shall be a stream mapping from CIDs to glyph indices or the name Identity'],
  ['7.21.4.1-t01', 'The font programs for all fonts used for rendering within a conforming file shall be embedded within that file, as defined in ISO 32000-1:2008, 9.9'],
  ['7.21.7-t01', 'The Font dictionary of all fonts shall define the map of all used character codes to Unicode values, either via a ToUnicode entry, or other mechanisms as defined in ISO 14289-1, 7.21.7'],
  // Not a rule of the profile, but what every rule about tags relies on (ISO 32000-1, 14.7.4.4).
  ['parent-tree', 'Every marked-content sequence with an MCID, and every annotation with a StructParent, is named in the parent tree by the structure element that holds it, and every MCID an element holds is in the content'],
].map(([id, text]) => ({ id: id!, text: text! }));

/** The standard structure types of ISO 32000-1, 14.8.4. */
const standardTypes = new Set(
  'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form'.split(
    ' ',
  ),
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Dict = { [key: string]: Json };
interface QpdfObject {
  value?: Json;
  stream?: { dict: Dict; data?: string };
}

/** The PDF at `path` as qpdf reads it. */
async function readWithQpdf(path: string): Promise<{ objects: Map<string, QpdfObject>; trailer: Dict; header: string }> {
  const json = await new Promise<string>((resolve, reject) =>
    execFile('qpdf', ['--json=2', '--json-key=qpdf', '--json-stream-data=inline', '--decode-level=generalized', path], { maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) =>
      error && !stdout ? reject(new Error(`qpdf: ${stderr || error.message}`)) : resolve(stdout),
    ),
  );
  const [, objects] = (JSON.parse(json) as { qpdf: [unknown, Record<string, QpdfObject>] }).qpdf;
  const map = new Map<string, QpdfObject>();
  for (const [key, value] of Object.entries(objects)) if (key.startsWith('obj:')) map.set(key.slice(4), value);
  const { readFile } = await import('node:fs/promises');
  const head = (await readFile(path)).subarray(0, 16).toString('latin1');
  return { objects: map, trailer: objects.trailer!.value as Dict, header: head.split(/\r\n|\r|\n/)[0]! };
}

const isRef = (value: Json | undefined): value is string => typeof value === 'string' && /^\d+ \d+ R$/.test(value);
const isDict = (value: Json | undefined): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);
/** A PDF string's text (qpdf writes `u:` for text, `b:` for bytes in hex). */
const text = (value: Json | undefined): string | undefined =>
  typeof value === 'string' && value.startsWith('u:') ? value.slice(2) : typeof value === 'string' && value.startsWith('b:') ? Buffer.from(value.slice(2), 'hex').toString('latin1') : undefined;
const nameOf = (value: Json | undefined): string | undefined => (typeof value === 'string' && value.startsWith('/') ? value.slice(1) : undefined);
const asArray = (value: Json | undefined): Json[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/** Checks the PDF at `path` against `rules`. */
export async function checkPdfUa(path: string): Promise<RuleOutcome[]> {
  const { objects, trailer, header } = await readWithQpdf(path);
  const failures = new Map<string, string[]>(rules.map((rule) => [rule.id, []]));
  const fail = (id: string, what: string) => {
    const list = failures.get(id);
    if (!list) throw new Error(`no rule ${id}`);
    list.push(what);
  };
  const get = (value: Json | undefined): Json | undefined => (isRef(value) ? (objects.get(value)?.value ?? objects.get(value)?.stream?.dict ?? null) : value);
  const dict = (value: Json | undefined): Dict | undefined => {
    const resolved = get(value);
    return isDict(resolved) ? resolved : undefined;
  };
  const streamOf = (value: Json | undefined) => (isRef(value) ? objects.get(value)?.stream : undefined);
  const data = (value: Json | undefined) => {
    const stream = streamOf(value);
    return stream?.data !== undefined ? Buffer.from(stream.data, 'base64') : undefined;
  };

  // 6.1, 7.16: the file.
  if (!/^%PDF-1\.[0-7]$/.test(header)) fail('6.1-t01', `header ${JSON.stringify(header)}`);
  const encrypt = dict(trailer['/Encrypt']);
  if (encrypt && !((Number(encrypt['/P']) & 512) === 512)) fail('7.16-t01', 'encrypted without bit 10 of P');

  const catalog = dict(trailer['/Root']) ?? {};
  const catalogLang = text(catalog['/Lang']);
  const langPattern = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;
  if (catalogLang !== undefined && !langPattern.test(catalogLang)) fail('7.2-t29', `catalog Lang ${catalogLang}`);
  const markInfo = dict(catalog['/MarkInfo']);
  if (markInfo?.['/Marked'] !== true) fail('6.2-t01', 'no /MarkInfo /Marked true');
  if (markInfo?.['/Suspects'] === true) fail('7.1-t04', '/Suspects true');
  if (dict(catalog['/ViewerPreferences'])?.['/DisplayDocTitle'] !== true) fail('7.1-t10', 'no /ViewerPreferences /DisplayDocTitle true');

  // 5, 7.1-t08, 7.1-t09, 7.2-t33: the metadata.
  const metadataRef = catalog['/Metadata'];
  const metadataDict = streamOf(metadataRef)?.dict;
  if (!metadataDict || nameOf(metadataDict['/Type']) !== 'Metadata' || nameOf(metadataDict['/Subtype']) !== 'XML') fail('7.1-t08', 'no metadata stream of /Type /Metadata /Subtype /XML in the catalog');
  const xmp = readXmp(data(metadataRef)?.toString('utf8') ?? '');
  if (xmp.parts.length === 0) fail('5-t01', 'no pdfuaid:part in the XMP (namespace http://www.aiim.org/pdfua/ns/id/)');
  for (const part of xmp.parts) {
    if (part.value !== '1') fail('5-t02', `pdfuaid:part is ${part.value}`);
    if (part.prefix !== 'pdfuaid') fail('5-t03', `the part has the prefix ${part.prefix}`);
  }
  if (!xmp.title) fail('7.1-t09', 'no dc:title in the XMP');
  if (xmp.xDefault && !catalogLang) fail('7.2-t33', 'x-default text in the XMP and no Lang in the catalog');

  // 7.10, 7.11, 7.15: optional content, embedded files, XFA.
  const ocProperties = dict(catalog['/OCProperties']);
  for (const config of [ocProperties?.['/D'], ...asArray(dict(ocProperties)?.['/Configs'])].map(dict).filter(Boolean) as Dict[]) {
    if (!text(config['/Name'])) fail('7.10-t01', 'an optional content configuration without /Name');
    if (config['/AS'] !== undefined) fail('7.10-t02', 'an optional content configuration with /AS');
  }
  for (const [ref, object] of objects) {
    const value = object.value ?? object.stream?.dict;
    if (isDict(value) && value['/EF'] !== undefined && (!text(value['/F']) || !text(value['/UF']))) fail('7.11-t01', `file specification ${ref}`);
  }
  if (dict(catalog['/AcroForm'])?.['/XFA'] !== undefined && catalog['/NeedsRendering'] === true) fail('7.15-t01', 'dynamic XFA');

  // 7.1, 7.2, 7.3, 7.4, 7.5, 7.9: the structure tree.
  const structRoot = dict(catalog['/StructTreeRoot']);
  if (!structRoot) fail('7.1-t11', 'no /StructTreeRoot in the catalog');
  const roleMap = dict(structRoot?.['/RoleMap']) ?? {};
  const standardOf = (type: string): string | undefined => {
    const seen = new Set<string>();
    let current = type;
    while (!standardTypes.has(current)) {
      if (seen.has(current)) return undefined;
      seen.add(current);
      const next = nameOf(roleMap[`/${current}`]);
      if (!next) return undefined;
      current = next;
    }
    return current;
  };
  for (const [key, value] of Object.entries(roleMap)) {
    const type = key.slice(1);
    if (standardTypes.has(type)) fail('7.1-t07', `the standard type ${type} is mapped to ${nameOf(value)}`);
    const seen = new Set<string>([type]);
    for (let next = nameOf(value); next && !standardTypes.has(next); next = nameOf(roleMap[`/${next}`])) {
      if (seen.has(next)) {
        fail('7.1-t06', `${type} maps in a circle`);
        break;
      }
      seen.add(next);
    }
  }

  interface Element {
    ref: string;
    type: string;
    standard?: string;
    dict: Dict;
    parent?: Element;
    kids: Element[];
    lang?: string;
  }
  const elements: Element[] = [];
  const byRef = new Map<string, Element>();
  /** Page ref + MCID -> the element that holds it; annotation ref -> its element. */
  const contentOwners = new Map<string, string>();
  const objectOwners = new Map<string, string>();
  const walk = (ref: Json, parent: Element | undefined, inheritedPage: Json | undefined, depth: number) => {
    if (!isRef(ref) || depth > 200 || byRef.has(ref)) return;
    const value = dict(ref);
    if (!value || nameOf(value['/S']) === undefined) return;
    const type = nameOf(value['/S'])!;
    const element: Element = { ref, type, standard: standardOf(type), dict: value, parent, kids: [], lang: text(value['/Lang']) ?? parent?.lang };
    byRef.set(ref, element);
    elements.push(element);
    parent?.kids.push(element);
    const page = value['/Pg'] ?? inheritedPage;
    for (const kid of asArray(value['/K'])) {
      if (typeof kid === 'number') contentOwners.set(`${String(page)}#${kid}`, ref);
      else if (isDict(kid) && nameOf(kid['/Type']) === 'MCR') contentOwners.set(`${String(kid['/Pg'] ?? page)}#${String(kid['/MCID'])}`, ref);
      else if (isDict(kid) && nameOf(kid['/Type']) === 'OBJR') objectOwners.set(String(kid['/Obj']), ref);
      else if (isRef(kid)) {
        const child = dict(kid);
        if (child && nameOf(child['/Type']) === 'MCR') contentOwners.set(`${String(child['/Pg'] ?? page)}#${String(child['/MCID'])}`, ref);
        else if (child && nameOf(child['/Type']) === 'OBJR') objectOwners.set(String(child['/Obj']), ref);
        else walk(kid, element, page, depth + 1);
      }
    }
  };
  for (const kid of asArray(structRoot?.['/K'])) walk(kid, undefined, undefined, 0);

  const kidTypes = (element: Element) => element.kids.map((kid) => kid.standard ?? kid.type);
  const headings: Element[] = [];
  const noteIds = new Map<string, number>();
  for (const element of elements) {
    const where = `${element.type} ${element.ref}`;
    const standard = element.standard;
    if (!standard) fail('7.1-t05', `${element.type} is not mapped to a standard type`);
    if (!isRef(element.dict['/P'])) fail('7.1-t12', `${where} has no /P`);
    else if (element.parent && element.dict['/P'] !== element.parent.ref) fail('7.1-t12', `${where} names ${String(element.dict['/P'])} as its parent, not ${element.parent.ref}`);
    const kids = kidTypes(element);
    const parent = element.parent?.standard ?? '';
    const only = (id: string, allowed: string[]) => {
      const others = kids.filter((kid) => !allowed.includes(kid));
      if (others.length > 0) fail(id, `${where} holds ${[...new Set(others)].join(', ')}`);
    };
    const count = (type: string) => kids.filter((kid) => kid === type).length;
    const within = (id: string, allowed: string[]) => {
      if (!allowed.includes(parent)) fail(id, `${where} is in ${parent || 'the root'}`);
    };
    switch (standard) {
      case 'Table':
        only('7.2-t03', ['TR', 'THead', 'TBody', 'TFoot', 'Caption']);
        if (count('THead') > 1) fail('7.2-t11', where);
        if (count('TFoot') > 1) fail('7.2-t12', where);
        if (count('TFoot') > 0 && count('TBody') === 0) fail('7.2-t13', where);
        if (count('THead') > 0 && count('TBody') === 0) fail('7.2-t14', where);
        if (kids.slice(1, -1).includes('Caption')) fail('7.2-t16', where);
        if (count('Caption') > 1) fail('7.2-t39', where);
        checkTable(element, where, fail);
        break;
      case 'TR':
        within('7.2-t04', ['Table', 'THead', 'TBody', 'TFoot']);
        only('7.2-t10', ['TH', 'TD']);
        break;
      case 'THead':
      case 'TBody':
      case 'TFoot':
        within({ THead: '7.2-t05', TBody: '7.2-t06', TFoot: '7.2-t07' }[standard], ['Table']);
        only({ THead: '7.2-t36', TBody: '7.2-t37', TFoot: '7.2-t38' }[standard], ['TR']);
        break;
      case 'TH':
        within('7.2-t08', ['TR']);
        break;
      case 'TD':
        within('7.2-t09', ['TR']);
        break;
      case 'LI':
        within('7.2-t17', ['L']);
        only('7.2-t20', ['Lbl', 'LBody']);
        break;
      case 'LBody':
        within('7.2-t18', ['LI']);
        break;
      case 'L':
        only('7.2-t19', ['L', 'LI', 'Caption']);
        if (kids.slice(1).includes('Caption')) fail('7.2-t40', where);
        break;
      case 'TOCI':
        within('7.2-t26', ['TOC']);
        break;
      case 'TOC':
        only('7.2-t27', ['TOC', 'TOCI', 'Caption']);
        if (kids.slice(1).includes('Caption')) fail('7.2-t28', where);
        break;
      case 'Figure':
        if (!text(element.dict['/Alt']) && text(element.dict['/ActualText']) === undefined) fail('7.3-t01', `${where} has neither /Alt nor /ActualText`);
        break;
      case 'Note': {
        const id = text(element.dict['/ID']);
        if (!id) fail('7.9-t01', `${where} has no /ID`);
        else noteIds.set(id, (noteIds.get(id) ?? 0) + 1);
        break;
      }
    }
    if (standard && /^H[1-6]?$/.test(standard)) headings.push(element);
    if (count('H') > 1) fail('7.4.4-t01', `${where} holds ${count('H')} H`);
    const lang = text(element.dict['/Lang']);
    if (lang !== undefined && !langPattern.test(lang)) fail('7.2-t29', `${where} has Lang ${lang}`);
    const determined = element.lang !== undefined || catalogLang !== undefined;
    if (element.dict['/ActualText'] !== undefined && !determined) fail('7.2-t21', where);
    if (element.dict['/Alt'] !== undefined && !determined) fail('7.2-t22', where);
    if (element.dict['/E'] !== undefined && !determined) fail('7.2-t23', where);
  }
  for (const [id, times] of noteIds) if (times > 1) fail('7.9-t02', `the ID ${id} is used by ${times} notes`);
  // 7.4: headings in the tree's order.
  const levels = headings.map((heading) => heading.standard!);
  if (levels.includes('H') && levels.some((level) => level !== 'H')) fail('7.4.4-t02', 'both H and H1-H6 are used');
  const numbered = headings.filter((heading) => heading.standard !== 'H');
  numbered.forEach((heading, index) => {
    const level = Number(heading.standard!.slice(1));
    const previous = index === 0 ? 0 : Number(numbered[index - 1]!.standard!.slice(1));
    if (index === 0 && level !== 1) fail('7.4.2-t01', `the first heading is ${heading.standard} (${heading.ref})`);
    else if (level > previous + 1) fail('7.4.2-t01', `${heading.standard} ${heading.ref} follows H${previous}`);
  });

  // The parent tree.
  const parentTree = new Map<number, Json>();
  const collect = (node: Json | undefined, depth: number) => {
    const value = dict(node);
    if (!value || depth > 32) return;
    const nums = asArray(value['/Nums']);
    for (let i = 0; i + 1 < nums.length; i += 2) parentTree.set(Number(nums[i]), nums[i + 1]!);
    for (const kid of asArray(value['/Kids'])) collect(kid, depth + 1);
  };
  collect(structRoot?.['/ParentTree'], 0);
  const seenContent = new Set<string>();

  // Pages: annotations (7.18) and content (7.1, 7.2-t34).
  const pages: string[] = [];
  const visitPages = (ref: Json | undefined, depth: number) => {
    const node = dict(ref);
    if (!node || depth > 64) return;
    if (nameOf(node['/Type']) === 'Page' && isRef(ref)) pages.push(ref);
    else for (const kid of asArray(node['/Kids'])) visitPages(kid, depth + 1);
  };
  visitPages(catalog['/Pages'], 0);
  if (pages.length > 0 && catalogLang === undefined) fail('7.2-t34', 'no Lang in the catalog (and this checker does not follow Lang into marked content)');
  pages.forEach((pageRef, index) => {
    const page = dict(pageRef)!;
    const where = `page ${index + 1}`;
    const annotations = asArray(page['/Annots']);
    if (annotations.length > 0 && nameOf(page['/Tabs']) !== 'S') fail('7.18.3-t01', `${where} has annotations and no /Tabs /S`);
    for (const annotationRef of annotations) {
      const annotation = dict(annotationRef);
      if (!annotation) continue;
      const subtype = nameOf(annotation['/Subtype']);
      const hidden = (Number(annotation['/F'] ?? 0) & 2) === 2;
      if (hidden) continue;
      const owner = isRef(annotationRef) ? objectOwners.get(annotationRef) : undefined;
      const ownerType = owner ? byRef.get(owner)?.standard : undefined;
      const structParent = annotation['/StructParent'];
      if (typeof structParent === 'number' && owner && parentTree.get(structParent) !== owner) fail('parent-tree', `the annotation ${String(annotationRef)} (StructParent ${structParent}) is held by ${owner}, the parent tree names ${String(parentTree.get(structParent))}`);
      if (subtype !== 'Widget' && subtype !== 'PrinterMark' && subtype !== 'Link' && ownerType !== 'Annot') fail('7.18.1-t01', `a ${subtype} annotation on ${where} is not in an Annot element`);
      const contents = text(annotation['/Contents']);
      const alt = owner ? text(byRef.get(owner)!.dict['/Alt']) : undefined;
      if (subtype !== 'Widget' && !contents && !alt) fail('7.18.1-t02', `a ${subtype} annotation on ${where} has no /Contents`);
      if (contents && !catalogLang) fail('7.2-t24', `an annotation on ${where}`);
      if (subtype === 'TrapNet') fail('7.18.2-t01', where);
      if (subtype === 'Widget' && ownerType !== 'Form') fail('7.18.4-t01', `a widget on ${where} is not in a Form element`);
      if (subtype === 'Link' && ownerType !== 'Link') fail('7.18.5-t01', `a link on ${where} is ${owner ? `in ${ownerType}` : 'in no structure element'}`);
      if (subtype === 'Link' && !contents) fail('7.18.5-t02', `a link on ${where} has no /Contents`);
      if (subtype === 'PrinterMark' && owner) fail('7.18.8-t01', where);
    }
    const contents = asArray(page['/Contents']);
    const content = Buffer.concat(contents.map((ref) => data(ref) ?? Buffer.alloc(0)).flatMap((buffer) => [buffer, Buffer.from('\n')])).toString('latin1');
    const structParents = page['/StructParents'];
    const pageArray = typeof structParents === 'number' ? asArray(get(parentTree.get(structParents))) : [];
    checkContent(content, dict(page['/Resources']), [], where, 0, (mcid) => {
      const key = `${pageRef}#${mcid}`;
      seenContent.add(key);
      const owner = contentOwners.get(key);
      if (!owner) fail('parent-tree', `MCID ${mcid} on ${where} is held by no structure element`);
      else if (pageArray[mcid] !== owner) fail('parent-tree', `MCID ${mcid} on ${where} is held by ${owner}, the parent tree names ${String(pageArray[mcid])}`);
    });
  });
  for (const key of contentOwners.keys()) if (!seenContent.has(key) && pages.includes(key.split('#')[0]!)) fail('parent-tree', `${contentOwners.get(key)} holds MCID ${key}, which no content has`);

  // 7.20, 7.21: XObjects and fonts.
  for (const [ref, object] of objects) {
    const value = object.stream?.dict ?? object.value;
    if (!isDict(value)) continue;
    if (nameOf(value['/Subtype']) === 'Form' && value['/Ref'] !== undefined) fail('7.20-t01', `reference XObject ${ref}`);
    if (nameOf(value['/Type']) !== 'Font') continue;
    const subtype = nameOf(value['/Subtype']);
    if (subtype === 'Type0') {
      const descendant = dict(asArray(get(value['/DescendantFonts']))[0]);
      const descriptor = dict(descendant?.['/FontDescriptor']);
      const embedded = descriptor && ['/FontFile', '/FontFile2', '/FontFile3'].some((key) => descriptor[key] !== undefined);
      if (!embedded) fail('7.21.4.1-t01', `font ${ref} (${nameOf(value['/BaseFont'])}) is not embedded`);
      if (nameOf(descendant?.['/Subtype']) === 'CIDFontType2' && embedded && descendant?.['/CIDToGIDMap'] === undefined) fail('7.21.3.2-t01', `font ${ref}`);
      if (value['/ToUnicode'] === undefined) fail('7.21.7-t01', `font ${ref} (${nameOf(value['/BaseFont'])}) has no ToUnicode`);
    } else if (subtype === 'CIDFontType0' || subtype === 'CIDFontType2') {
      // A descendant of a Type 0 font: checked with it.
    } else if (subtype && subtype !== 'Type3') {
      const descriptor = dict(value['/FontDescriptor']);
      if (!descriptor || !['/FontFile', '/FontFile2', '/FontFile3'].some((key) => descriptor[key] !== undefined)) fail('7.21.4.1-t01', `font ${ref} (${nameOf(value['/BaseFont'])}) is not embedded`);
      const encoding = nameOf(value['/Encoding']);
      if (value['/ToUnicode'] === undefined && encoding !== 'WinAnsiEncoding' && encoding !== 'MacRomanEncoding') fail('7.21.7-t01', `font ${ref} has no ToUnicode`);
    } else if (subtype === 'Type3' && value['/ToUnicode'] === undefined) fail('7.21.7-t01', `Type 3 font ${ref} has no ToUnicode`);
  }

  return rules.map((rule) => ({ ...rule, failures: failures.get(rule.id)! }));

  /**
   * 7.1-t01..t03 on a content stream: every painting operator inside tagged content (a sequence
   * with an MCID) or an Artifact, never the one inside the other; forms are followed with the
   * marks around their `Do`.
   */
  function checkContent(content: string, resources: Dict | undefined, outer: Array<{ tag: string; mcid?: number }>, where: string, depth: number, onMcid: (mcid: number) => void): void {
    const stack = [...outer];
    const tagged = () => stack.some((mark) => mark.mcid !== undefined);
    const artifact = () => stack.some((mark) => mark.tag === 'Artifact');
    let unmarked = 0;
    let inText = false;
    let pathOpen = false;
    let example = '';
    const item = (what: string) => {
      if (!tagged() && !artifact()) {
        unmarked++;
        example ||= what;
      }
    };
    for (const op of readContent(content)) {
      switch (op.op) {
        case 'BDC':
        case 'BMC': {
          const tag = op.operands[0]?.slice(1) ?? '';
          let properties = op.operands[1] ?? '';
          if (properties.startsWith('/')) {
            const named = dict(dict(resources?.['/Properties'])?.[properties]);
            properties = named && typeof named['/MCID'] === 'number' ? `/MCID ${named['/MCID']}` : '';
          }
          const mcidMatch = /\/MCID\s+(\d+)/.exec(properties);
          const mcid = mcidMatch ? Number(mcidMatch[1]) : undefined;
          if (tag === 'Artifact' && tagged()) fail('7.1-t01', `an Artifact inside tagged content on ${where}`);
          if (mcid !== undefined && artifact()) fail('7.1-t02', `MCID ${mcid} inside an Artifact on ${where}`);
          const lang = /\/Lang\s*\(([^)]*)\)/.exec(properties)?.[1];
          if (lang !== undefined && !langPattern.test(lang)) fail('7.2-t29', `marked content with Lang ${lang} on ${where}`);
          if (mcid !== undefined && depth === 0) onMcid(mcid);
          stack.push({ tag, mcid });
          break;
        }
        case 'EMC':
          stack.pop();
          break;
        case 'BT':
          inText = true;
          break;
        case 'ET':
          inText = false;
          break;
        case 'Tj':
        case 'TJ':
        case "'":
        case '"':
          if (inText) item(`text ${op.operands.join(' ').slice(0, 30)}`);
          break;
        case 'm':
        case 'l':
        case 'c':
        case 'v':
        case 'y':
        case 're':
        case 'h':
          pathOpen = true;
          break;
        case 'S':
        case 's':
        case 'f':
        case 'F':
        case 'f*':
        case 'B':
        case 'B*':
        case 'b':
        case 'b*':
          if (pathOpen) item(`a path painted with ${op.op}`);
          pathOpen = false;
          break;
        case 'n':
          pathOpen = false;
          break;
        case 'sh':
        case 'BI':
          item(op.op);
          break;
        case 'Do': {
          const xobject = dict(resources?.['/XObject'])?.[op.operands[0] ?? ''];
          const stream = streamOf(xobject);
          if (stream && nameOf(stream.dict['/Subtype']) === 'Form' && depth < 16) {
            checkContent(data(xobject)?.toString('latin1') ?? '', dict(stream.dict['/Resources']) ?? resources, stack, where, depth + 1, onMcid);
          } else item(`an image ${op.operands[0]}`);
          break;
        }
      }
    }
    if (unmarked > 0) fail('7.1-t03', `${where}: ${unmarked} unmarked, e.g. ${example}`);
  }
}

/**
 * 7.2-t15, 7.2-t41, 7.2-t42, 7.5-t01 on a table: its cells laid into a grid by their RowSpan and
 * ColSpan; rows of equal width, columns of equal height, no two cells on one place; each TH with a
 * Scope unless the cells name their headers (Headers).
 */
interface TableNode {
  standard?: string;
  dict: Dict;
  kids: TableNode[];
}

function checkTable(table: TableNode, where: string, fail: (id: string, what: string) => void): void {
  const rows = table.kids.flatMap((kid) => (kid.standard === 'TR' ? [kid] : ['THead', 'TBody', 'TFoot'].includes(kid.standard ?? '') ? kid.kids.filter((row) => row.standard === 'TR') : []));
  const attribute = (cell: Dict, key: string): Json | undefined => {
    for (const entry of asArray(cell['/A'])) if (isDict(entry) && entry[key] !== undefined) return entry[key];
    return undefined;
  };
  const grid: boolean[][] = [];
  let usesHeaders = false;
  rows.forEach((row, r) => {
    let column = 0;
    for (const cell of row.kids.filter((kid) => kid.standard === 'TH' || kid.standard === 'TD')) {
      grid[r] ??= [];
      while (grid[r]![column]) column++;
      const rowSpan = Math.max(1, Number(attribute(cell.dict, '/RowSpan') ?? 1));
      const colSpan = Math.max(1, Number(attribute(cell.dict, '/ColSpan') ?? 1));
      for (let i = r; i < r + rowSpan; i++) {
        for (let j = column; j < column + colSpan; j++) {
          grid[i] ??= [];
          if (grid[i]![j]) fail('7.2-t15', `${where}: two cells at row ${i + 1}, column ${j + 1}`);
          grid[i]![j] = true;
        }
      }
      column += colSpan;
      if (attribute(cell.dict, '/Headers') !== undefined) usesHeaders = true;
    }
  });
  const widths = grid.map((row) => row.filter(Boolean).length);
  if (new Set(widths).size > 1) fail('7.2-t42', `${where}: rows of ${[...new Set(widths)].join(', ')} columns`);
  const columns = Math.max(0, ...grid.map((row) => row.length));
  const heights = Array.from({ length: columns }, (_, j) => grid.filter((row) => row[j]).length);
  if (new Set(heights).size > 1) fail('7.2-t41', `${where}: columns of ${[...new Set(heights)].join(', ')} rows`);
  if (!usesHeaders) {
    for (const row of rows) {
      for (const cell of row.kids) {
        if (cell.standard === 'TH' && attribute(cell.dict, '/Scope') === undefined) fail('7.5-t01', `${where}: a TH without Scope`);
      }
    }
  }
}

/** What the XMP packet says of PDF/UA and the title. */
function readXmp(xml: string): { parts: Array<{ prefix: string; value: string }>; title: boolean; xDefault: boolean } {
  const result = { parts: [] as Array<{ prefix: string; value: string }>, title: false, xDefault: false };
  if (!xml) return result;
  const parser = new SaxesParser({ xmlns: true });
  const open: Array<{ uri: string; local: string; prefix: string; text: string }> = [];
  parser.on('opentag', (tag) => {
    for (const attribute of Object.values(tag.attributes)) {
      if (typeof attribute === 'object' && attribute.uri === 'http://www.aiim.org/pdfua/ns/id/' && attribute.local === 'part') result.parts.push({ prefix: attribute.prefix, value: attribute.value });
      if (typeof attribute === 'object' && attribute.local === 'lang' && attribute.value === 'x-default') result.xDefault = true;
    }
    open.push({ uri: tag.uri ?? '', local: tag.local ?? '', prefix: tag.prefix ?? '', text: '' });
  });
  parser.on('text', (value) => {
    for (const element of open) element.text += value;
  });
  parser.on('closetag', () => {
    const element = open.pop()!;
    if (element.uri === 'http://www.aiim.org/pdfua/ns/id/' && element.local === 'part') result.parts.push({ prefix: element.prefix, value: element.text.trim() });
    if (element.uri === 'http://purl.org/dc/elements/1.1/' && element.local === 'title' && element.text.trim()) result.title = true;
  });
  parser.on('error', () => {});
  parser.write(xml.replace(/^\uFEFF/, '')).close();
  return result;
}
