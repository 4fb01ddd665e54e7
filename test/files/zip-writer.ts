/**
 * A tiny zip writer for tests: local headers, data, central directory and end record written by
 * hand, so that a test can lie about sizes, set flags, nest archives or leave parts out, which no
 * real zip library lets it do.
 */
import { crc32, deflateRawSync } from "node:zlib";

/** One member of a test archive. */
export interface ZipMember {
  name: string;
  data: Buffer | string;
  /** Deflate (default) or store. */
  method?: "deflate" | "store";
  /** Already-compressed bytes to write instead of compressing `data` (`data` then gives only the CRC). */
  raw?: Buffer;
  /** The uncompressed size written in the headers, instead of the real one. */
  declaredSize?: number;
  /** General purpose bit flag (bit 0: encrypted). */
  flags?: number;
  /** Write no data: the directory record points at the local header of member number `n`. */
  sameDataAs?: number;
}

/**
 * The bytes of a zip holding `members`, in order.
 *
 * @example
 * zip([{ name: "word/document.xml", data: "<w:document/>" }]); // Buffer starting "PK\x03\x04"
 */
export function zip(members: ZipMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const m of members) {
    const data = typeof m.data === "string" ? Buffer.from(m.data, "utf8") : m.data;
    const method = m.method === "store" ? 0 : 8;
    const body = m.raw ?? (method === 8 ? deflateRawSync(data) : data);
    const name = Buffer.from(m.name, "utf8");
    const size = m.declaredSize ?? data.length;
    const crc = crc32(data) >>> 0;
    const flags = (m.flags ?? 0) | 0x0800; // UTF-8 names

    const at = m.sameDataAs === undefined ? offset : (offsets[m.sameDataAs] ?? 0);
    offsets.push(at);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    if (m.sameDataAs === undefined) locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(at, 42);
    centrals.push(central, name);

    if (m.sameDataAs === undefined) offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

/** The three parts every .docx has, around `documentXml`. */
export function docxParts(documentXml: Buffer | string): ZipMember[] {
  return [
    {
      name: "[Content_Types].xml",
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    },
    {
      name: "_rels/.rels",
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    },
    { name: "word/document.xml", data: documentXml },
  ];
}

/** A document.xml with one paragraph per line of `lines`. */
export function documentXml(lines: string[]): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ${W}><w:body>${lines.map((l) => `<w:p><w:r><w:t xml:space="preserve">${esc(l)}</w:t></w:r></w:p>`).join("")}</w:body></w:document>`;
}

/**
 * A document.xml of `bytes` bytes: one paragraph whose text is "a" repeated (a zip bomb's
 * payload: it deflates about 1000 to 1).
 */
export function bombDocumentXml(bytes: number): Buffer {
  const head = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body><w:p><w:r><w:t>`);
  const tail = Buffer.from("</w:t></w:r></w:p></w:body></w:document>");
  const out = Buffer.alloc(bytes, "a");
  head.copy(out, 0);
  tail.copy(out, bytes - tail.length);
  return out;
}
