import { open } from 'node:fs/promises';
import {
  JP_MOF_LIST_ID,
  looksLikeUnConsolidated,
  looksLikeXlsx,
  OFAC_SDN_LIST_ID,
  UN_CONSOLIDATED_LIST_ID,
} from '@sekimori/list-sources';
import { isOwnListFile } from './cli-args';

/** The list formats the loader reads, each with the list id it is published under by default. */
export type ListFormat = 'ofac-sdn-advanced' | 'un-consolidated' | 'jp-mof-xlsx' | 'own-csv';

export const DEFAULT_LIST_ID: Record<ListFormat, string> = {
  'ofac-sdn-advanced': OFAC_SDN_LIST_ID,
  'un-consolidated': UN_CONSOLIDATED_LIST_ID,
  'jp-mof-xlsx': JP_MOF_LIST_ID,
  // Never used: an own list always comes with --list-id (cli-args.ts).
  'own-csv': '',
};

const HEAD_BYTES = 4096;

/**
 * Which parser reads `file`, from its first bytes: an xlsx is a zip (`PK\x03\x04`), read as
 * MOF's list, whose parser rejects any other workbook; the UN list names its root element at
 * once. Anything else goes to the OFAC parser, compressed files included (OFAC's is the only list
 * shipped compressed), which rejects a foreign file with its own message.
 */
export async function detectListFormat(file: string): Promise<ListFormat> {
  if (/\.bz2$/i.test(file)) return 'ofac-sdn-advanced';
  if (isOwnListFile(file)) return 'own-csv';
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0);
    if (looksLikeXlsx(buffer.subarray(0, bytesRead))) return 'jp-mof-xlsx';
    return looksLikeUnConsolidated(buffer.subarray(0, bytesRead).toString('utf8'))
      ? 'un-consolidated'
      : 'ofac-sdn-advanced';
  } finally {
    await handle.close();
  }
}
