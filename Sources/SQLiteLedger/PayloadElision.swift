import Foundation

/// A payload stored without the two values its row already holds: its id and its time, each
/// written as `#` (`"id":#`, `"time":#`) and put back from the row's `id` and `time` columns
/// when it is read (``PayloadCodec`` formats 3 and 4). About 30 bytes per message: a UUID and
/// a timestamp are what a dictionary compresses least.
///
/// `#` is no JSON value, so canonical JSON holds no such member, and one elided member is put
/// back where it was, byte for byte. The hash still covers the whole canonical JSON: an id or
/// time column changed by hand puts another value back, which no longer hashes to the event's
/// hash, and `verify` reports the event as changed.
enum PayloadElision {
    private static let idKey = Array(#""id":"#.utf8)
    private static let timeKey = Array(#""time":"#.utf8)
    private static let marker = UInt8(ascii: "#")
    private static let idMarker = idKey + [marker], timeMarker = timeKey + [marker]

    /// `payload` with its members `"id":"ID"` and `"time":"TIME"` written as `"id":#` and
    /// `"time":#`; nil when it does not hold both, or holds a marker already.
    static func elide(_ payload: String, id: String, time: String) -> String? {
        var payload = payload, id = id, time = time
        return payload.withUTF8 { text -> String? in
            guard find(idMarker, in: text) == nil, find(timeMarker, in: text) == nil,
                let idAt = find(idKey + [UInt8(ascii: "\"")] + id.withUTF8(Array.init) + [UInt8(ascii: "\"")], in: text),
                let timeAt = find(timeKey + [UInt8(ascii: "\"")] + time.withUTF8(Array.init) + [UInt8(ascii: "\"")], in: text)
            else { return nil }
            // Each value (with its quotes) becomes the marker.
            var cuts = [(at: idAt + idKey.count, length: id.utf8.count + 2), (at: timeAt + timeKey.count, length: time.utf8.count + 2)]
            cuts.sort { $0.at < $1.at }
            guard cuts[0].at + cuts[0].length <= cuts[1].at else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(text.count)
            var from = 0
            for cut in cuts {
                out += text[from..<cut.at]
                out.append(marker)
                from = cut.at + cut.length
            }
            out += text[from...]
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// The payload `stored` (as ``elide(_:id:time:)`` wrote it) stands for, with `id` and `time`
    /// put back; nil when it does not hold both markers.
    static func restore(_ stored: String, id: String, time: String) -> String? {
        var stored = stored, id = id, time = time
        return stored.withUTF8 { text -> String? in
            guard let (idAt, timeAt) = markers(in: text) else { return nil }
            return id.withUTF8 { id in
                time.withUTF8 { time in
                    var puts = [(at: idAt + idKey.count, value: id), (at: timeAt + timeKey.count, value: time)]
                    if puts[1].at < puts[0].at { puts.swapAt(0, 1) }
                    let total = text.count - 2 + id.count + time.count + 4
                    return String(unsafeUninitializedCapacity: total) { out in
                        var at = 0
                        func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
                            guard !bytes.isEmpty else { return }
                            UnsafeMutableRawPointer(out.baseAddress! + at).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                            at += bytes.count
                        }
                        var from = 0
                        for put in puts {
                            copy(UnsafeBufferPointer(rebasing: text[from..<put.at]))
                            out[at] = UInt8(ascii: "\"")
                            at += 1
                            copy(put.value)
                            out[at] = UInt8(ascii: "\"")
                            at += 1
                            from = put.at + 1
                        }
                        copy(UnsafeBufferPointer(rebasing: text[from...]))
                        return at
                    }
                }
            }
        }
    }

    /// Where the first `"id":#` and the first `"time":#` start in `text`: found by their `#`,
    /// which JSON holds only inside strings (a quote, by contrast, is every few bytes).
    private static func markers(in text: UnsafeBufferPointer<UInt8>) -> (id: Int, time: Int)? {
        var id: Int?, time: Int?
        var i = 0
        while i < text.count, id == nil || time == nil {
            guard let hit = memchr(text.baseAddress! + i, Int32(marker), text.count - i) else { break }
            let at = text.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            func ends(_ key: [UInt8]) -> Bool {
                at >= key.count && key.withUnsafeBytes { memcmp(text.baseAddress! + at - key.count, $0.baseAddress!, key.count) == 0 }
            }
            if id == nil, ends(idKey) {
                id = at - idKey.count
            } else if time == nil, ends(timeKey) {
                time = at - timeKey.count
            }
            i = at + 1
        }
        guard let id, let time else { return nil }
        return (id, time)
    }

    /// Where `needle` first starts in `text`.
    private static func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = needle.first, needle.count <= text.count else { return nil }
        var i = 0
        let last = text.count - needle.count
        while i <= last {
            guard let hit = memchr(text.baseAddress! + i, Int32(first), last - i + 1) else { return nil }
            let at = text.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if needle.withUnsafeBytes({ memcmp(text.baseAddress! + at, $0.baseAddress!, needle.count) == 0 }) { return at }
            i = at + 1
        }
        return nil
    }
}
