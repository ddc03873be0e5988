/**
 * One TIFF/EXIF reader and location stripper shared by the JPEG, PNG and HEIC paths (issue 19).
 *
 * Location removal works IN PLACE: the TIFF block keeps its length and every byte outside the removed
 * parts keeps its position. HEIC needs that (its iloc box addresses the Exif item by absolute offset),
 * and JPEG/PNG get the same proven code instead of a second, rebuilding writer. Removed parts are zeroed,
 * not just unlinked, so the coordinates are gone from the stored bytes, not merely unreachable.
 *
 * What goes: the GPS IFD (its table and every value it points to) and its pointer tag; MakerNote, XMP
 * (tag 700), IPTC and Photoshop blocks, which are opaque or free-form and can carry a location; IFD1
 * with its thumbnail (an embedded JPEG that may hold its own EXIF, and pixels of an earlier edit); and
 * every byte no kept entry accounts for.
 * What stays: IFD0, the Exif IFD and the Interop IFD minus those tags.
 */

/** A redacted, JSON-safe summary of the non-location EXIF tags (stored on the nutrition log). */
export type RedactedExif = Record<string, string | number>;

export type StripResult = { ok: true; exif: RedactedExif } | { ok: false; reason: string };

const TAG_EXIF_IFD = 0x8769;
const TAG_GPS_IFD = 0x8825;
const TAG_INTEROP_IFD = 0xa005;
/** Tags dropped (with their values zeroed) from IFD0, the Exif IFD and the Interop IFD. */
const REMOVED_TAGS = new Set([
  TAG_GPS_IFD,
  0x927c, // MakerNote: vendor binary, some vendors keep a location copy in it
  0x02bc, // XMP packet (may hold exif:GPSLatitude …)
  0x83bb, // IPTC (City, Sublocation, Country …)
  0x8649, // Photoshop image resources (embed IPTC)
]);

/** Byte size of one value of each TIFF field type (undefined: a type this reader does not know). */
const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};

/** Tags kept in the redacted summary: name and whether they live in IFD0 or the Exif IFD. */
const SUMMARY_TAGS: Record<number, string> = {
  271: 'Make',
  272: 'Model',
  274: 'Orientation',
  305: 'Software',
  306: 'DateTime',
  33434: 'ExposureTime',
  33437: 'FNumber',
  34855: 'ISO',
  36867: 'DateTimeOriginal',
  36868: 'DateTimeDigitized',
  36880: 'OffsetTime',
  36881: 'OffsetTimeOriginal',
  37380: 'ExposureBiasValue',
  37385: 'Flash',
  37386: 'FocalLength',
  40961: 'ColorSpace',
  40962: 'PixelXDimension',
  40963: 'PixelYDimension',
  41987: 'WhiteBalance',
  41989: 'FocalLengthIn35mmFilm',
  42035: 'LensMake',
  42036: 'LensModel',
};
const MAX_SUMMARY_STRING = 64;
const MAX_IFD_ENTRIES = 1000;

class TiffError extends Error {}

/** [start, end) within the TIFF block. */
type Range = [number, number];

interface Entry {
  /** Offset of the 12-byte entry within the TIFF block. */
  at: number;
  tag: number;
  type: number;
  count: number;
  /** Byte size of the value (undefined for an unknown type). */
  size: number | undefined;
  /** Where the value lives: inline (inside the entry) or at the offset it names. */
  valueAt: number;
}

class Tiff {
  readonly le: boolean;
  constructor(readonly buf: Buffer) {
    if (buf.length < 8) throw new TiffError('TIFF header cut short');
    const order = buf.toString('latin1', 0, 2);
    if (order === 'II') this.le = true;
    else if (order === 'MM') this.le = false;
    else throw new TiffError('no TIFF byte-order mark');
    if (this.u16(2) !== 42) throw new TiffError('bad TIFF magic');
  }
  private check(at: number, n: number): void {
    if (at < 0 || n < 0 || at + n > this.buf.length) throw new TiffError('TIFF offset outside the block');
  }
  u16(at: number): number {
    this.check(at, 2);
    return this.le ? this.buf.readUInt16LE(at) : this.buf.readUInt16BE(at);
  }
  u32(at: number): number {
    this.check(at, 4);
    return this.le ? this.buf.readUInt32LE(at) : this.buf.readUInt32BE(at);
  }
  i32(at: number): number {
    this.check(at, 4);
    return this.le ? this.buf.readInt32LE(at) : this.buf.readInt32BE(at);
  }
  w16(at: number, v: number): void {
    this.check(at, 2);
    if (this.le) this.buf.writeUInt16LE(v, at);
    else this.buf.writeUInt16BE(v, at);
  }
  w32(at: number, v: number): void {
    this.check(at, 4);
    if (this.le) this.buf.writeUInt32LE(v, at);
    else this.buf.writeUInt32BE(v, at);
  }
  zero(at: number, n: number): void {
    this.check(at, n);
    this.buf.fill(0, at, at + n);
  }

  /** Reads an IFD's entries; `end` is the offset just past its next-IFD link. */
  ifd(at: number): { entries: Entry[]; count: number; end: number; next: number } {
    const count = this.u16(at);
    if (count > MAX_IFD_ENTRIES) throw new TiffError('implausible IFD entry count');
    const entries: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const e = at + 2 + i * 12;
      const tag = this.u16(e);
      const type = this.u16(e + 2);
      const n = this.u32(e + 4);
      const unit = TYPE_SIZES[type];
      const size = unit === undefined ? undefined : unit * n;
      const valueAt = size !== undefined && size <= 4 ? e + 8 : this.u32(e + 8);
      if (size !== undefined) this.check(valueAt, size);
      entries.push({ at: e, tag, type, count: n, size, valueAt });
    }
    const end = at + 2 + count * 12 + 4;
    return { entries, count, end, next: this.u32(end - 4) };
  }
}

/**
 * Strips location metadata from a TIFF/EXIF block in place and summarises what is left. On failure
 * (`ok: false`: an EXIF block this reader cannot fully account for) the block may be half-modified and
 * the caller must discard it whole — never store it.
 */
export function stripLocationInPlace(block: Buffer): StripResult {
  try {
    return { ok: true, exif: strip(new Tiff(block)) };
  } catch (err) {
    if (err instanceof TiffError) return { ok: false, reason: err.message };
    throw err;
  }
}

function strip(t: Tiff): RedactedExif {
  const seen = new Set<number>();
  const visit = (at: number) => {
    if (at < 8 || seen.has(at)) throw new TiffError('IFD offset loops or points into the header');
    seen.add(at);
  };
  const ifd0At = t.u32(4);
  visit(ifd0At);
  const ifd0 = t.ifd(ifd0At);
  const summary: RedactedExif = {};
  summarise(t, ifd0.entries, summary);

  // Sub-IFDs are read before anything is zeroed: a sloppy writer can share value bytes between IFDs.
  const exifPtr = ifd0.entries.find((e) => e.tag === TAG_EXIF_IFD);
  let exif: ReturnType<Tiff['ifd']> | undefined;
  let exifAt = 0;
  if (exifPtr) {
    exifAt = t.u32(exifPtr.valueAt);
    visit(exifAt);
    exif = t.ifd(exifAt);
    summarise(t, exif.entries, summary);
  }
  let interop: ReturnType<Tiff['ifd']> | undefined;
  let interopAt = 0;
  const interopPtr = exif?.entries.find((e) => e.tag === TAG_INTEROP_IFD);
  if (interopPtr) {
    interopAt = t.u32(interopPtr.valueAt);
    visit(interopAt);
    interop = t.ifd(interopAt);
  }

  // IFD1 (thumbnail) and any later IFD in the chain: zeroed whole, and the chain cut after IFD0.
  let nextAt = ifd0.next;
  while (nextAt !== 0) {
    visit(nextAt);
    const ifd = t.ifd(nextAt);
    zeroIfd(t, nextAt, ifd, seen);
    nextAt = ifd.next;
  }

  const kept = removeEntries(t, ifd0At, ifd0, seen);
  if (exif) kept.push(...removeEntries(t, exifAt, exif, seen));
  if (interop) kept.push(...removeEntries(t, interopAt, interop, seen));
  zeroUnaccounted(t, kept);
  return summary;
}

/** Zeroes an IFD, every value it points to (thumbnail data included) and any GPS IFD below it. */
function zeroIfd(t: Tiff, at: number, ifd: ReturnType<Tiff['ifd']>, seen: Set<number>): void {
  for (const e of ifd.entries) zeroValue(t, e, seen);
  const offsets = ifd.entries.find((e) => e.tag === 0x0201 || e.tag === 0x0111);
  const lengths = ifd.entries.find((e) => e.tag === 0x0202 || e.tag === 0x0117);
  if (offsets && lengths && offsets.count === 1 && lengths.count === 1) {
    t.zero(scalar(t, offsets), scalar(t, lengths));
  }
  t.zero(at, ifd.end - at);
}

/** Zeroes an entry's out-of-line value; for a GPS pointer, the GPS IFD itself. */
function zeroValue(t: Tiff, e: Entry, seen: Set<number>): void {
  if (e.tag === TAG_GPS_IFD || e.tag === TAG_EXIF_IFD || e.tag === TAG_INTEROP_IFD) {
    if (e.tag !== TAG_GPS_IFD) return; // only reached inside a dropped IFD: its sub-IFD is gone from view
    const gpsAt = t.u32(e.valueAt);
    if (gpsAt === 0 || seen.has(gpsAt)) return;
    seen.add(gpsAt);
    const gps = t.ifd(gpsAt);
    for (const g of gps.entries) {
      if (g.size === undefined) throw new TiffError('GPS tag of an unknown type');
      if (g.size > 4) t.zero(g.valueAt, g.size);
    }
    t.zero(gpsAt, gps.end - gpsAt);
    return;
  }
  if (e.size === undefined) {
    if (REMOVED_TAGS.has(e.tag)) throw new TiffError('location-bearing tag of an unknown type');
    return;
  }
  if (e.size > 4) t.zero(e.valueAt, e.size);
}

/** Drops REMOVED_TAGS from an IFD: kept entries move up, the freed tail is zeroed, the table length stays. */
function removeEntries(t: Tiff, at: number, ifd: ReturnType<Tiff['ifd']>, seen: Set<number>): Range[] {
  const kept: Entry[] = [];
  const raws: Buffer[] = [];
  for (const e of ifd.entries) {
    if (REMOVED_TAGS.has(e.tag)) zeroValue(t, e, seen);
    else {
      kept.push(e);
      raws.push(Buffer.from(t.buf.subarray(e.at, e.at + 12)));
    }
  }
  t.zero(at, ifd.end - at);
  t.w16(at, raws.length);
  for (const [i, raw] of raws.entries()) raw.copy(t.buf, at + 2 + i * 12);
  t.w32(at + 2 + raws.length * 12, 0); // IFD0 loses IFD1; sub-IFDs never chain
  const ranges: Range[] = [[at, at + 2 + raws.length * 12 + 4]];
  for (const e of kept) if (e.size !== undefined && e.size > 4) ranges.push([e.valueAt, e.valueAt + e.size]);
  return ranges;
}

/**
 * Zeroes every byte of the block that is not the header, a kept IFD table or a kept value: data no kept
 * entry accounts for (an orphaned GPS IFD whose pointer tag was mangled, padding, vendor leftovers) does
 * not survive. Overlapping kept ranges mean the block cannot be accounted for: it is refused whole.
 */
function zeroUnaccounted(t: Tiff, ranges: Range[]): void {
  const sorted = [[0, 8] as Range, ...ranges].sort((a, b) => a[0] - b[0]);
  let cursor = 0;
  for (const [start, end] of sorted) {
    if (start < cursor) throw new TiffError('EXIF values overlap');
    t.zero(cursor, start - cursor);
    cursor = end;
  }
  t.zero(cursor, t.buf.length - cursor);
}

function scalar(t: Tiff, e: Entry): number {
  if (e.type === 3) return t.u16(e.valueAt);
  if (e.type === 4 || e.type === 13) return t.u32(e.valueAt);
  throw new TiffError('offset tag of an unexpected type');
}

function summarise(t: Tiff, entries: Entry[], out: RedactedExif): void {
  for (const e of entries) {
    const name = SUMMARY_TAGS[e.tag];
    if (name === undefined || e.count === 0 || e.size === undefined) continue;
    const value = readValue(t, e);
    if (value !== undefined) out[name] = value;
  }
}

function readValue(t: Tiff, e: Entry): string | number | undefined {
  switch (e.type) {
    case 2: {
      const raw = t.buf.subarray(e.valueAt, e.valueAt + (e.size ?? 0)).toString('latin1');
      // Printable ASCII only, cut at the first NUL and capped: a summary, not a carrier for blobs.
      const text = raw
        .split('\0')[0]!
        .replace(/[^\x20-\x7e]/g, '')
        .trim()
        .slice(0, MAX_SUMMARY_STRING);
      return text === '' ? undefined : text;
    }
    case 1:
      return t.buf[e.valueAt];
    case 3:
      return t.u16(e.valueAt);
    case 4:
      return t.u32(e.valueAt);
    case 9:
      return t.i32(e.valueAt);
    case 5:
    case 10: {
      const num = e.type === 5 ? t.u32(e.valueAt) : t.i32(e.valueAt);
      const den = e.type === 5 ? t.u32(e.valueAt + 4) : t.i32(e.valueAt + 4);
      return den === 0 ? undefined : Number((num / den).toPrecision(6));
    }
    default:
      return undefined;
  }
}
