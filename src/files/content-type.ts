import { unzipSync } from 'fflate';
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors';

/** The types a material takes, read from the bytes; `inline`: a browser may show it in the page (never run it). */
export const MATERIAL_TYPES = {
  'application/pdf': { label: 'PDF', inline: true },
  'image/jpeg': { label: 'JPEG', inline: true },
  'image/png': { label: 'PNG', inline: true },
  // 版式文档 OFD (GB/T 33190-2016): a ZIP container, stored as it is.
  'application/ofd': { label: 'OFD', inline: false },
} as const;

export type MaterialType = keyof typeof MATERIAL_TYPES;

const TYPE_LIST = Object.values(MATERIAL_TYPES).map((t) => t.label).join(', ');

/** Whether a browser may show the type in the page (PDF and images) rather than only download it. */
export const showsInline = (contentType: string): boolean => (MATERIAL_TYPES as Record<string, { inline: boolean }>)[contentType]?.inline ?? false;

/**
 * The type of a file from its content (never its name or the header it came with): PDF, JPEG, PNG, or OFD, a ZIP
 * whose entries include the OFD entry file `OFD.xml`. Anything else, a renamed executable included, is a 415.
 */
export async function materialTypeOf(bytes: Buffer, name: string): Promise<MaterialType> {
  const found = await fileTypeFromBuffer(bytes);
  if (found?.mime === 'application/zip' && isOfd(bytes)) return 'application/ofd';
  if (found && found.mime in MATERIAL_TYPES) return found.mime as MaterialType;
  const seen = found ? `${found.mime}` : 'unknown';
  throw new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    `不支持的文件类型：${name} 按内容识别为 ${seen}，只接受 ${TYPE_LIST.replaceAll(', ', '、')} / Unsupported file type: ${name} is ${seen} by its content; only ${TYPE_LIST} are accepted`,
    { name, detected: found?.mime ?? null, accepted: Object.keys(MATERIAL_TYPES) },
  );
}

// The central directory names the entries; the filter keeps every entry unextracted, so nothing is inflated.
function isOfd(bytes: Buffer): boolean {
  const names: string[] = [];
  try {
    unzipSync(bytes, { filter: (entry) => (names.push(entry.name), false) });
  } catch {
    return false;
  }
  return names.some((n) => n.replace(/^\/+/, '') === 'OFD.xml');
}
