import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { InstrumentBody } from './instruments';

// The OpenType files of @embedpdf/fonts-sc (Noto Sans Hans) are not in its exports: reach them beside its entry point.
const FONT_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')), '..', 'fonts');

let font: fontkit.Font | undefined;
/** The CJK font, parsed once per process (8 MB; parsing it for every document costs more than laying one out). */
function cjkFont(): fontkit.Font {
  font ??= fontkit.create(readFileSync(path.join(FONT_DIR, 'NotoSansHans-Regular.otf'))) as fontkit.Font;
  return font;
}

/** The characters of `text` the embedded font has no glyph for (they would print as empty boxes). */
export function missingGlyphs(text: string): string[] {
  const f = cjkFont();
  return [...new Set([...text].filter((c) => c.trim() && !f.hasGlyphForCodePoint(c.codePointAt(0)!)))];
}

/** Everything one page says; the instrument table builds `body`, the issuer fills in the rest. */
export interface PrintedInstrument {
  office: string;
  title: { zh: string; en: string };
  number: string;
  /** The addressee (the applicant), or null for the certificate. */
  addressee: string | null;
  body: InstrumentBody;
  remedies: { zh: string; en: string } | null;
  /** Chinese date of issue, e.g. 2026年3月2日. */
  date: string;
  issuedAt: Date;
  footer: string;
  /** A QR code and its caption (the certificate's signed check). */
  qr?: { text: string; caption: string };
}

const A4 = { width: 595.28, margin: 64 };

/** Renders one instrument as a one-page A4 PDF with the CJK font embedded (subset) and, for a certificate, its QR code. */
export async function renderInstrument(doc: PrintedInstrument): Promise<Buffer> {
  const qrPng = doc.qr ? await QRCode.toBuffer(doc.qr.text, { errorCorrectionLevel: 'M', margin: 1, width: 240 }) : null;
  const pdf = new PDFDocument({
    size: 'A4',
    margin: A4.margin,
    info: { Title: `${doc.title.zh} ${doc.number}`, Author: doc.office, CreationDate: doc.issuedAt, ModDate: doc.issuedAt },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });
  pdf.registerFont('cjk', cjkFont() as never);
  pdf.font('cjk');
  const width = A4.width - 2 * A4.margin;

  pdf.fontSize(15).fillColor('#b00000').text(doc.office, { align: 'center' });
  pdf.moveDown(0.4).fontSize(22).text(doc.title.zh, { align: 'center', characterSpacing: 2 });
  pdf.fontSize(10).fillColor('#555555').text(doc.title.en, { align: 'center' });
  pdf.moveDown(0.4).fontSize(12).fillColor('#000000').text(doc.number, { align: 'center' });
  pdf.moveDown(0.3).moveTo(A4.margin, pdf.y).lineTo(A4.margin + width, pdf.y).lineWidth(1).strokeColor('#b00000').stroke();
  pdf.moveDown(1).fontSize(12);

  if (doc.addressee) pdf.text(`${doc.addressee}：`).moveDown(0.5);
  for (const paragraph of doc.body.paragraphs) pdf.text(paragraph, { indent: 24, lineGap: 4, align: 'justify' }).moveDown(0.4);
  if (doc.body.list) {
    pdf.moveDown(0.2).text(`${doc.body.list.heading}：`);
    doc.body.list.items.forEach((item, i) => pdf.text(`${i + 1}. ${item}`, { indent: 24, lineGap: 3 }));
    pdf.moveDown(0.4);
  }
  for (const [label, value] of doc.body.fields ?? []) {
    pdf.fontSize(10).fillColor('#555555').text(label, { lineGap: 1 });
    pdf.fontSize(12).fillColor('#000000').text(value, { indent: 24, lineGap: 3 }).moveDown(0.2);
  }
  if (doc.remedies) {
    pdf.moveDown(0.4).fontSize(12).text(doc.remedies.zh, { indent: 24, lineGap: 4 });
    pdf.fontSize(9).fillColor('#555555').text(doc.remedies.en, { indent: 24 }).fillColor('#000000');
  }

  const signY = Math.max(pdf.y + 30, 560);
  if (qrPng && doc.qr) {
    pdf.image(qrPng, A4.margin, signY, { width: 110 });
    pdf.fontSize(9).text(doc.qr.caption, A4.margin, signY + 114, { width: 150 });
  }
  pdf.fontSize(12).text(doc.office, A4.margin, signY + 20, { width, align: 'right' });
  pdf.text('（印章 / seal）', { width, align: 'right' });
  pdf.text(doc.date, { width, align: 'right' });
  pdf.fontSize(8).fillColor('#777777').text(doc.footer, A4.margin, 780, { width, align: 'center', lineBreak: false });
  pdf.end();
  await ended;
  return Buffer.concat(chunks);
}
