/**
 * MOF publishes its list as `shisantouketsuYYYYMMDD.xlsx`, the name changing with each revision,
 * linked from a fixed index page. The newest date among the page's links is the current file.
 */
const WORKBOOK_LINK = /href\s*=\s*["']([^"']*?shisantouketsu(\d{8})\.xlsx)["']/gi;

export function newestMofWorkbook(
  html: string,
  pageUrl: string,
): { url: string; date: string } | null {
  let newest: { url: string; date: string } | null = null;
  for (const [, href, date] of html.matchAll(WORKBOOK_LINK)) {
    if (newest === null || date > newest.date) {
      newest = { url: new URL(href.replace(/&amp;/g, '&'), pageUrl).href, date };
    }
  }
  return newest;
}

/** A MOF source URL that names the workbook itself rather than the page that links it. */
export function isWorkbookUrl(url: string): boolean {
  return /\.xlsx$/i.test(new URL(url).pathname);
}
