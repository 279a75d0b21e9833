/**
 * The XMP metadata packet of a finished PDF: what the document information dictionary says (title,
 * authors, subject, keywords, language, the same dates), and the PDF/UA-1 identifier.
 */
import { keywordsText, type PdfMetadata } from "./pdf-metadata.js";

export function xmpPacket(meta: PdfMetadata): string {
  const date = meta.date.toISOString().replace(/\.\d{3}Z$/, "Z");
  const lang = escapeXml(meta.lang);
  const alt = (value: string) =>
    `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(value)}</rdf:li><rdf:li xml:lang="${lang}">${escapeXml(value)}</rdf:li></rdf:Alt>`;
  const lines = [
    `<dc:format>application/pdf</dc:format>`,
    `<dc:title>${alt(meta.title)}</dc:title>`,
    `<dc:language><rdf:Bag><rdf:li>${lang}</rdf:li></rdf:Bag></dc:language>`,
  ];
  if (meta.authors.length > 0)
    lines.push(
      `<dc:creator><rdf:Seq>${meta.authors.map((a) => `<rdf:li>${escapeXml(a)}</rdf:li>`).join("")}</rdf:Seq></dc:creator>`,
    );
  if (meta.subject) lines.push(`<dc:description>${alt(meta.subject)}</dc:description>`);
  if (meta.keywords.length > 0) {
    lines.push(
      `<dc:subject><rdf:Bag>${meta.keywords.map((k) => `<rdf:li>${escapeXml(k)}</rdf:li>`).join("")}</rdf:Bag></dc:subject>`,
    );
    lines.push(`<pdf:Keywords>${escapeXml(keywordsText(meta.keywords))}</pdf:Keywords>`);
  }
  lines.push(
    `<pdf:Producer>${escapeXml(meta.creator)}</pdf:Producer>`,
    `<xmp:CreatorTool>${escapeXml(meta.creator)}</xmp:CreatorTool>`,
    `<xmp:CreateDate>${date}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${date}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${date}</xmp:MetadataDate>`,
    `<pdfuaid:part>1</pdfuaid:part>`,
  );
  return [
    `<?xpacket begin="\u{feff}" id="W5M0MpCehiHzreSzNTczkc9d"?>`,
    `<x:xmpmeta xmlns:x="adobe:ns:meta/">`,
    `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`,
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">`,
    ...lines,
    `</rdf:Description>`,
    `</rdf:RDF>`,
    `</x:xmpmeta>`,
    `<?xpacket end="r"?>`,
  ].join("\n");
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}
