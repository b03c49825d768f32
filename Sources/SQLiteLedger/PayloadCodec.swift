import CZstd
import Foundation

/// How the SQLite ledger stores an event's payload: its canonical JSON as text, or compressed
/// with zstd and a dictionary trained on the ledger's own events (``PayloadDictionary``).
///
/// A payload is canonical JSON with the same keys, purposes and legal bases as thousands of
/// others, and hex hashes; with a dictionary a payload takes a quarter of its text. The hash
/// chain covers the canonical JSON, never the stored bytes: a compressed payload is
/// decompressed before it is hashed or read, so how a payload is stored changes no hash, and a
/// stored payload or dictionary changed by hand no longer decompresses to what was hashed.
///
/// A compressed payload is a blob: the format byte 1, the dictionary's id and the JSON's length
/// (each an unsigned LEB128 number), then one zstd frame without magic number, checksum,
/// dictionary id or content size (the hash chain checks what the checksum would, the rest is
/// in front). A payload that repeats most of the one before it (a retain event after its
/// collect event) is stored as a ``PayloadDelta`` from it, format byte 2. Formats 3 and 4 are
/// 1 and 2 for a payload stored without its id and time (``PayloadElision``), which its row
/// holds; a delta of format 4 is made from a base of format 3, and one of 2 from one of 1. One
/// codec per thread, or one thread at a time: its zstd contexts are not shared.
final class PayloadCodec: @unchecked Sendable {
    /// zstd's level: 3, its default. Higher levels gain little on payloads this short.
    static let level: Int32 = 3
    /// The first byte of a compressed payload.
    static let format: UInt8 = 1
    /// The first byte of a compressed ``PayloadDelta``: then the dictionary's id, how many rows
    /// before this one its base is, and the delta's length, before the frame.
    static let deltaFormat: UInt8 = 2
    /// ``format`` for a payload without its id and time (``PayloadElision``).
    static let elidedFormat: UInt8 = 3
    /// ``deltaFormat`` for a payload without its id and time, from a base of ``elidedFormat``.
    static let elidedDeltaFormat: UInt8 = 4

    /// Whether a stored payload starting with `format` is a delta (of format 2 or 4).
    static func isDelta(_ format: UInt8?) -> Bool { format == deltaFormat || format == elidedDeltaFormat }

    /// Whether a stored payload starting with `format` was stored without its id and time.
    static func isElided(_ format: UInt8?) -> Bool { format == elidedFormat || format == elidedDeltaFormat }

    private let compression: OpaquePointer
    private let decompression: OpaquePointer
    /// Where deltas are decompressed to before they are merged.
    private var scratch: [UInt8] = []
    /// The payloads of the last rows read whole, by row: the bases of the deltas after them.
    private var recentBases: [(row: Int64, base: PayloadDelta.Base)] = []
    /// The dictionary the last payload read was compressed with (they are all, mostly, the same).
    var lastDictionary: PayloadDictionary?

    init() {
        compression = ZSTD_createCCtx()
        decompression = ZSTD_createDCtx()
        // ZSTD_c_format and ZSTD_d_format (zstd's names for these advanced parameters).
        ZSTD_CCtx_setParameter(compression, ZSTD_c_experimentalParam2, Int32(ZSTD_f_zstd1_magicless.rawValue))
        ZSTD_CCtx_setParameter(compression, ZSTD_c_contentSizeFlag, 0)
        ZSTD_CCtx_setParameter(compression, ZSTD_c_checksumFlag, 0)
        ZSTD_CCtx_setParameter(compression, ZSTD_c_dictIDFlag, 0)
        ZSTD_DCtx_setParameter(decompression, ZSTD_d_experimentalParam1, Int32(ZSTD_f_zstd1_magicless.rawValue))
    }

    /// Keeps the payload of `row` (read whole, not a delta) as a base for the rows after it.
    func remember(base payload: String, at row: Int64) {
        if recentBases.count == 8 { recentBases.removeFirst() }
        recentBases.append((row, PayloadDelta.Base(payload)))
    }

    /// The payload of `row`, when it is among the last read whole.
    func base(at row: Int64) -> PayloadDelta.Base? {
        recentBases.last(where: { $0.row == row })?.base
    }

    deinit {
        ZSTD_freeCCtx(compression)
        ZSTD_freeDCtx(decompression)
    }

    /// The stored form of `payload` compressed with `dictionary`; nil when zstd fails (the
    /// payload is then stored as text). `elided`: `payload` is without its id and time
    /// (``PayloadElision``), format 3.
    func compress(_ payload: String, with dictionary: PayloadDictionary, elided: Bool = false) -> Data? {
        compress(payload, with: dictionary, capped: true, elided: elided)
    }

    /// ``compress(_:with:)``; uncapped (`capped` false) only for tests that make what the
    /// cap keeps out.
    func compress(_ payload: String, with dictionary: PayloadDictionary, capped: Bool, elided: Bool = false) -> Data? {
        compress(payload, header: [UInt64(elided ? Self.elidedFormat : Self.format), UInt64(dictionary.id)], with: dictionary, capped: capped)
    }

    /// The stored form of a ``PayloadDelta`` from the payload of the row `distance` rows
    /// before this one, compressed with `dictionary`; nil when zstd fails. `elided`: both are
    /// stored without their id and time.
    func compress(delta: String, baseDistance distance: Int64, with dictionary: PayloadDictionary, elided: Bool = false) -> Data? {
        guard distance > 0 else { return nil }
        let format = elided ? Self.elidedDeltaFormat : Self.deltaFormat
        return compress(delta, header: [UInt64(format), UInt64(dictionary.id), UInt64(distance)], with: dictionary, capped: true)
    }

    /// The format byte, then the numbers of `header` after it and the text's length, then the frame.
    private func compress(_ text: String, header: [UInt64], with dictionary: PayloadDictionary, capped: Bool) -> Data? {
        var text = text
        return text.withUTF8 { text -> Data? in
            var out = [UInt8(header[0])]
            for number in header.dropFirst() { LEB128.append(number, to: &out) }
            LEB128.append(UInt64(text.count), to: &out)
            let head = out.count
            let bound = ZSTD_compressBound(text.count)
            out += repeatElement(0, count: bound)
            guard ZSTD_isError(ZSTD_CCtx_refCDict(compression, dictionary.compression)) == 0 else { return nil }
            let written = out.withUnsafeMutableBytes { buffer in
                ZSTD_compress2(compression, buffer.baseAddress! + head, bound, text.baseAddress, text.count)
            }
            guard ZSTD_isError(written) == 0, !capped || Self.allows(length: text.count, stored: head + written) else { return nil }
            return Data(out.prefix(head + written))
        }
    }

    /// The text a compressed payload holds (canonical JSON; for formats 3 and 4 without its id
    /// and time, ``PayloadElision``); nil when it does not decompress (an unknown dictionary,
    /// damaged bytes, a length that does not match), is not UTF-8, or is a delta whose base
    /// (`base`, given the distance back to its row) is not there or does not hold what it
    /// inherits.
    func decompress(
        _ stored: Data, dictionary: (Int64) -> PayloadDictionary?, base: (Int64) -> PayloadDelta.Base? = { _ in nil }
    ) -> String? {
        stored.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> String? in
            guard let format = bytes.first, (Self.format...Self.elidedDeltaFormat).contains(format) else { return nil }
            let delta = Self.isDelta(format)
            var index = 1
            guard let id = LEB128.read(bytes, at: &index), id <= UInt64(Int64.max) else { return nil }
            var distance: UInt64 = 0
            if delta {
                guard let number = LEB128.read(bytes, at: &index), number > 0, number <= UInt64(Int64.max) else { return nil }
                distance = number
            }
            guard let length = LEB128.read(bytes, at: &index),
                length <= UInt64(Int.max), Self.allows(length: Int(length), stored: bytes.count),
                let dictionary = dictionary(Int64(id)),
                ZSTD_isError(ZSTD_DCtx_refDDict(decompression, dictionary.decompression)) == 0
            else { return nil }
            let count = Int(length)
            let frame = bytes.baseAddress! + index, frameLength = bytes.count - index
            guard delta else {
                // Straight into the string (the common case: no copy).
                var failed = false
                let text = String(unsafeUninitializedCapacity: max(count, 1)) { out in
                    let n = ZSTD_decompressDCtx(decompression, out.baseAddress, count, frame, frameLength)
                    guard ZSTD_isError(n) == 0, n == count else {
                        failed = true
                        return 0
                    }
                    return n
                }
                // String(unsafeUninitializedCapacity:) repairs invalid UTF-8; such bytes are not a payload.
                guard !failed, text.utf8.count == count else { return nil }
                return text
            }
            if scratch.count < count { scratch = [UInt8](repeating: 0, count: count) }
            let n = scratch.withUnsafeMutableBytes { ZSTD_decompressDCtx(decompression, $0.baseAddress, count, frame, frameLength) }
            guard ZSTD_isError(n) == 0, n == count, let base = base(Int64(distance)) else { return nil }
            return scratch.withUnsafeBufferPointer { PayloadDelta.apply(UnsafeBufferPointer(rebasing: $0.prefix(count)), to: base) }
        }
    }

    /// Whether a payload of `length` bytes may be stored in `stored` bytes: at most 32 times
    /// as many, and 4 KiB. Payloads compress about 4 to 5 times; one that would compress more is
    /// stored as text, and a stored payload that claims more is not decompressed: a few bytes
    /// in the file can never make `verify` or `show` hold more than 32 times the file's size.
    static func allows(length: Int, stored: Int) -> Bool {
        length <= 32 * stored + 4096
    }
}

/// A zstd dictionary the ledger compresses payloads with, stored in its table
/// `payload_dictionary` and named by id in each payload compressed with it.
final class PayloadDictionary: @unchecked Sendable {
    /// The row's id.
    let id: Int64
    /// zstd's prepared forms (read only once made, so shared by every thread).
    fileprivate let compression: OpaquePointer
    fileprivate let decompression: OpaquePointer

    /// Prepares the dictionary `content` (a trained zstd dictionary, or any bytes: zstd then
    /// takes them as raw content); nil when zstd cannot.
    init?(id: Int64, content: Data) {
        guard !content.isEmpty else { return nil }
        guard let compression = content.withUnsafeBytes({ ZSTD_createCDict($0.baseAddress, $0.count, PayloadCodec.level) })
        else { return nil }
        guard let decompression = content.withUnsafeBytes({ ZSTD_createDDict($0.baseAddress, $0.count) }) else {
            ZSTD_freeCDict(compression)
            return nil
        }
        self.id = id
        self.compression = compression
        self.decompression = decompression
    }

    deinit {
        ZSTD_freeCDict(compression)
        ZSTD_freeDDict(decompression)
    }

    /// A dictionary of at most `capacity` bytes trained on `samples` (payloads); nil when zstd
    /// cannot train one on them (too few, or too alike).
    static func train(on samples: [String], capacity: Int = 16 << 10) -> Data? {
        var joined: [UInt8] = []
        var sizes: [Int] = []
        for sample in samples {
            joined += sample.utf8
            sizes.append(sample.utf8.count)
        }
        guard !sizes.isEmpty else { return nil }
        var out = [UInt8](repeating: 0, count: capacity)
        let n = ZDICT_trainFromBuffer(&out, capacity, joined, sizes, UInt32(sizes.count))
        guard ZDICT_isError(n) == 0, n > 0 else { return nil }
        return Data(out.prefix(n))
    }

    /// Events a ledger holds before it trains its dictionary: enough to learn from.
    static let trainingEvents = 1_000
    /// The most recent events it trains on.
    static let trainingSamples = 2_000
}
