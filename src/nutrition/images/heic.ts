import { type RedactedExif, stripLocationInPlace } from './exif.ts';
import { checkDimensions, ImageRejected } from './result.ts';

/**
 * HEIC/HEIF (ISO BMFF): parses ftyp, meta (hdlr, pitm, iinf, iloc, iprp/ipco/ipma, idat) and rewrites
 * IN PLACE — same length, so every iloc offset stays valid — and never touches coded image items:
 * - the Exif item's TIFF loses its location (exif.ts); XMP items ('mime' application/rdf+xml) become an
 *   empty XMP packet padded with spaces;
 * - every other byte of mdat, idat and the other top-level boxes that does not belong to an image item
 *   or a cleaned metadata item is zeroed (unknown items, unreferenced data, a damaged Exif entry);
 * - top-level boxes other than ftyp/meta/mdat/free/skip (uuid XMP, a sequence's moov with udta location
 *   atoms …) and unknown boxes inside meta become zeroed 'free' boxes.
 */

const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis']);
export const HEIF_BRANDS = new Set([...HEIC_BRANDS, 'mif1', 'msf1']);
const KEPT_TOP_LEVEL = new Set(['ftyp', 'meta', 'mdat', 'free', 'skip']);
const KEPT_IN_META = new Set([
  'hdlr',
  'pitm',
  'iinf',
  'iloc',
  'iprp',
  'idat',
  'iref',
  'dinf',
  'grpl',
  'free',
  'skip',
]);
/** Item types that hold coded pixels (or derive an image from them): kept byte for byte. */
const IMAGE_ITEM_TYPES = new Set([
  'hvc1',
  'hvt1',
  'av01',
  'grid',
  'iden',
  'iovl',
  'jpeg',
  'j2k1',
  'unci',
  'tmap',
  'vvc1',
]);
const EMPTY_XMP = Buffer.from(
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/><?xpacket end="w"?>',
  'latin1',
);

interface Box {
  type: string;
  start: number;
  body: number;
  end: number;
}
interface Extent {
  offset: number;
  length: number;
}

/** The ftyp brands (major first) when `bytes` starts with an ISO BMFF ftyp box. */
export function ftypBrands(bytes: Buffer): string[] | undefined {
  if (bytes.length < 16 || bytes.toString('latin1', 4, 8) !== 'ftyp') return undefined;
  const size = Math.min(bytes.readUInt32BE(0), bytes.length);
  if (size < 16) return undefined;
  const brands = [bytes.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= size; at += 4) brands.push(bytes.toString('latin1', at, at + 4));
  return brands;
}

export function heicContentType(brands: string[]): string {
  return brands.some((b) => HEIC_BRANDS.has(b)) ? 'image/heic' : 'image/heif';
}

function children(buf: Buffer, from: number, to: number, topLevel: boolean): Box[] {
  const out: Box[] = [];
  let at = from;
  while (at < to) {
    if (at + 8 > to) throw cut(topLevel, 'box header');
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > to) throw cut(topLevel, 'box header');
      const big = buf.readBigUInt64BE(at + 8);
      if (big > BigInt(to - at)) throw cut(topLevel, `${type} box`);
      size = Number(big);
      body = at + 16;
    } else if (size === 0) {
      size = to - at; // runs to the end of its container
    }
    if (size < body - at) throw new ImageRejected('malformed', `HEIF ${type} box with an impossible size`);
    if (at + size > to) throw cut(topLevel, `${type} box`);
    out.push({ type, start: at, body, end: at + size });
    at += size;
  }
  return out;
}

function cut(topLevel: boolean, what: string): ImageRejected {
  return topLevel
    ? new ImageRejected('truncated', `HEIF ${what} runs past the end of the file`)
    : new ImageRejected('malformed', `HEIF ${what} runs past its container`);
}

/** A bounds-checked reader over one box body. */
class Reader {
  constructor(
    private readonly buf: Buffer,
    public at: number,
    private readonly end: number,
  ) {}
  private need(n: number): void {
    if (this.at + n > this.end) throw new ImageRejected('malformed', 'HEIF box content cut short');
  }
  uint(bytes: number): number {
    if (bytes === 0) return 0;
    this.need(bytes);
    let v = 0;
    for (let i = 0; i < bytes; i++) v = v * 256 + this.buf[this.at + i]!;
    this.at += bytes;
    return v;
  }
  fourcc(): string {
    this.need(4);
    this.at += 4;
    return this.buf.toString('latin1', this.at - 4, this.at);
  }
  cstring(): string {
    const nul = this.buf.indexOf(0, this.at);
    const stop = nul === -1 || nul >= this.end ? this.end : nul;
    const s = this.buf.toString('latin1', this.at, stop);
    this.at = Math.min(stop + 1, this.end);
    return s;
  }
  fullHeader(): { version: number; flags: number } {
    const v = this.uint(4);
    return { version: v >>> 24, flags: v & 0xffffff };
  }
}

export function prepareHeic(input: Buffer): {
  bytes: Buffer;
  exif: RedactedExif;
  width: number;
  height: number;
} {
  const top = children(input, 0, input.length, true);
  const metas = top.filter((b) => b.type === 'meta');
  if (metas.length !== 1) throw new ImageRejected('malformed', 'HEIF needs exactly one top-level meta box');
  const meta = metas[0]!;
  const inMeta = children(input, meta.body + 4, meta.end, false);
  const find = (type: string) => inMeta.find((b) => b.type === type);

  const hdlr = find('hdlr');
  if (!hdlr || new Reader(input, hdlr.body + 8, hdlr.end).fourcc() !== 'pict') {
    throw new ImageRejected('malformed', "HEIF meta box is not a 'pict' handler (no still image)");
  }
  const pitm = find('pitm');
  if (!pitm) throw new ImageRejected('malformed', 'HEIF without a primary item');
  const pr = new Reader(input, pitm.body, pitm.end);
  const primary = pr.uint(pr.fullHeader().version === 0 ? 2 : 4);

  const items = readItemInfo(input, find('iinf'));
  if (!items.has(primary)) throw new ImageRejected('malformed', 'HEIF primary item is not described in iinf');
  const locations = readLocations(input, find('iloc'), find('idat'));
  const { width, height } = primarySize(input, find('iprp'), primary);
  checkDimensions('HEIF', width, height);

  const out = Buffer.from(input);
  // Bytes that may stay in mdat/idat: coded image items, and metadata items once cleaned. Every other
  // byte there (unknown items, unreferenced data, a metadata item whose entry is damaged) is zeroed, so a
  // location cannot survive by hiding where this parser does not look.
  const kept = new Uint8Array(out.length);
  const keep = (e: Extent) => kept.fill(1, e.offset, e.offset + e.length);
  let exif: RedactedExif | undefined;
  for (const [id, extents] of locations) {
    const item = items.get(id);
    if (!item || !extents.length) continue;
    if (IMAGE_ITEM_TYPES.has(item.type)) {
      extents.forEach(keep);
      continue;
    }
    const isExif = item.type === 'Exif';
    const isXmp = item.type === 'mime' && item.contentType.trim().toLowerCase() === 'application/rdf+xml';
    if (!isExif && !isXmp) continue;
    const payload = Buffer.concat(extents.map((e) => out.subarray(e.offset, e.offset + e.length)));
    if (isXmp) {
      payload.fill(0x20);
      if (payload.length >= EMPTY_XMP.length) EMPTY_XMP.copy(payload);
    } else {
      const result = payload.length >= 4 ? stripTiffItem(payload) : undefined;
      if (!result?.ok) continue; // unaccountable EXIF: left unkept, so zeroed below
      exif ??= result.exif;
    }
    let from = 0;
    for (const e of extents) {
      payload.copy(out, e.offset, from, from + e.length);
      from += e.length;
      keep(e);
    }
  }
  // Outside ftyp and meta, only kept bytes survive: mdat, free/skip and unknown top-level boxes are zeroed
  // around them, and an unknown box with nothing kept in it becomes a 'free' box (same size, same offsets).
  const zeroUnkept = (box: Box) => {
    let any = false;
    for (let i = box.body; i < box.end; i++) {
      if (kept[i]) any = true;
      else out[i] = 0;
    }
    return any;
  };
  for (const box of top) {
    if (box.type === 'ftyp' || box.type === 'meta') continue;
    if (!zeroUnkept(box) && !KEPT_TOP_LEVEL.has(box.type)) out.write('free', box.start + 4, 'latin1');
  }
  const idat = find('idat');
  if (idat) zeroUnkept(idat);
  // Unknown boxes inside meta likewise (an item could live in one: then it is left as it is).
  const allExtents = [...locations.values()].flat();
  const neutralise = (box: Box) => {
    if (allExtents.some((e) => e.offset < box.end && e.offset + e.length > box.start)) return;
    out.write('free', box.start + 4, 'latin1');
    out.fill(0, box.body, box.end);
  };
  for (const box of inMeta) if (!KEPT_IN_META.has(box.type)) neutralise(box);
  return { bytes: out, exif: exif ?? {}, width, height };
}

/** The Exif item: a 4-byte offset to the TIFF header (past an "Exif\0\0" prefix), then the TIFF block. */
function stripTiffItem(payload: Buffer) {
  const tiffAt = 4 + payload.readUInt32BE(0);
  if (tiffAt >= payload.length) return undefined;
  return stripLocationInPlace(payload.subarray(tiffAt));
}

function readItemInfo(
  buf: Buffer,
  iinf: Box | undefined,
): Map<number, { type: string; contentType: string }> {
  const items = new Map<number, { type: string; contentType: string }>();
  if (!iinf) throw new ImageRejected('malformed', 'HEIF without an item information box');
  const r = new Reader(buf, iinf.body, iinf.end);
  const count = r.uint(r.fullHeader().version === 0 ? 2 : 4);
  const entries = children(buf, r.at, iinf.end, false).filter((b) => b.type === 'infe');
  if (entries.length !== count) throw new ImageRejected('malformed', 'HEIF iinf entry count does not match');
  for (const infe of entries) {
    const e = new Reader(buf, infe.body, infe.end);
    const { version } = e.fullHeader();
    if (version < 2)
      throw new ImageRejected('malformed', 'HEIF item entry without an item type (infe version < 2)');
    const id = e.uint(version === 2 ? 2 : 4);
    e.uint(2); // protection index
    const type = e.fourcc();
    e.cstring(); // item name
    items.set(id, { type, contentType: type === 'mime' ? e.cstring() : '' });
  }
  return items;
}

function readLocations(buf: Buffer, iloc: Box | undefined, idat: Box | undefined): Map<number, Extent[]> {
  const out = new Map<number, Extent[]>();
  if (!iloc) throw new ImageRejected('malformed', 'HEIF without an item location box');
  const r = new Reader(buf, iloc.body, iloc.end);
  const { version } = r.fullHeader();
  if (version > 2) throw new ImageRejected('malformed', `HEIF iloc version ${version} is not known`);
  const sizes = r.uint(2);
  const offsetSize = sizes >> 12;
  const lengthSize = (sizes >> 8) & 0xf;
  const baseSize = (sizes >> 4) & 0xf;
  const indexSize = version === 0 ? 0 : sizes & 0xf;
  for (const n of [offsetSize, lengthSize, baseSize, indexSize]) {
    if (![0, 4, 8].includes(n)) throw new ImageRejected('malformed', 'HEIF iloc field size is not 0, 4 or 8');
  }
  const count = r.uint(version < 2 ? 2 : 4);
  for (let i = 0; i < count; i++) {
    const id = r.uint(version < 2 ? 2 : 4);
    const method = version === 0 ? 0 : r.uint(2) & 0xf;
    r.uint(2); // data reference index
    const base = r.uint(baseSize);
    const extentCount = r.uint(2);
    const extents: Extent[] = [];
    for (let k = 0; k < extentCount; k++) {
      r.uint(indexSize);
      const offset = r.uint(offsetSize);
      const length = r.uint(lengthSize);
      extents.push({ offset: base + offset, length });
    }
    if (method > 1) {
      throw new ImageRejected(
        'malformed',
        'HEIF item stored by a construction method this server does not read',
      );
    }
    const [from, to] = method === 0 ? [0, buf.length] : idat ? [idat.body, idat.end] : [0, 0];
    if (method === 1 && !idat) throw new ImageRejected('malformed', 'HEIF item stored in a missing idat box');
    out.set(
      id,
      extents.map((e) => {
        const offset = from + e.offset;
        const length = e.length === 0 ? to - offset : e.length; // 0: "the rest of the data"
        if (offset + length > to || length < 0) {
          throw method === 0
            ? new ImageRejected('truncated', 'HEIF item data runs past the end of the file')
            : new ImageRejected('malformed', 'HEIF item data runs past its idat box');
        }
        return { offset, length };
      }),
    );
  }
  return out;
}

/** Width and height from the ispe property associated with the primary item (ipma). */
function primarySize(buf: Buffer, iprp: Box | undefined, primary: number): { width: number; height: number } {
  if (!iprp) throw new ImageRejected('malformed', 'HEIF without item properties');
  const parts = children(buf, iprp.body, iprp.end, false);
  const ipco = parts.find((b) => b.type === 'ipco');
  if (!ipco) throw new ImageRejected('malformed', 'HEIF without an item property container');
  const props = children(buf, ipco.body, ipco.end, false);
  for (const ipma of parts.filter((b) => b.type === 'ipma')) {
    const r = new Reader(buf, ipma.body, ipma.end);
    const { version, flags } = r.fullHeader();
    const count = r.uint(4);
    for (let i = 0; i < count; i++) {
      const id = r.uint(version < 1 ? 2 : 4);
      const n = r.uint(1);
      for (let k = 0; k < n; k++) {
        const index = flags & 1 ? r.uint(2) & 0x7fff : r.uint(1) & 0x7f;
        const prop = props[index - 1];
        if (id === primary && prop?.type === 'ispe') return ispe(buf, prop);
      }
    }
  }
  throw new ImageRejected('malformed', 'HEIF primary item has no image size (ispe) property');
}

function ispe(buf: Buffer, box: Box): { width: number; height: number } {
  const r = new Reader(buf, box.body, box.end);
  r.fullHeader();
  return { width: r.uint(4), height: r.uint(4) };
}
