/**
 * The one exceljs module the MOF reader uses beyond its public types: the shared-strings parser
 * of exceljs's document reader, which drops phonetic runs (`<rPh>`) as Excel itself displays.
 */
declare module 'exceljs/lib/xlsx/xform/strings/shared-strings-xform' {
  type SharedString = string | { richText: Array<{ text: string }> };
  export default class SharedStringsXform {
    parseStream(stream: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<unknown>;
    readonly values: SharedString[];
  }
}
