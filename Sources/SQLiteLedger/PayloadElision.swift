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

    /// `payload` with its members `"id":"ID"` and `"time":"TIME"` written as `"id":#` and
    /// `"time":#`; nil when it does not hold both, or holds a marker already.
    static func elide(_ payload: String, id: String, time: String) -> String? {
        var payload = payload, id = id, time = time
        return payload.withUTF8 { text -> String? in
            let held = markers(in: text)
            guard held.id == nil, held.time == nil,
                case (let idAt?, let timeAt?) = id.withUTF8({ id in time.withUTF8 { time in members(in: text, id: id, time: time) } })
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
            guard case (let idAt?, let timeAt?) = markers(in: text) else { return nil }
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
    private static func markers(in text: UnsafeBufferPointer<UInt8>) -> (id: Int?, time: Int?) {
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
        return (id, time)
    }

    /// Where the first members `"id":"ID"` and `"time":"TIME"` start in `text`: found by their
    /// colons (one per member, where quotes are every few bytes).
    private static func members(
        in text: UnsafeBufferPointer<UInt8>, id: UnsafeBufferPointer<UInt8>, time: UnsafeBufferPointer<UInt8>
    ) -> (id: Int?, time: Int?) {
        var idAt: Int?, timeAt: Int?
        var i = 0
        while i < text.count, idAt == nil || timeAt == nil {
            guard let hit = memchr(text.baseAddress! + i, Int32(UInt8(ascii: ":")), text.count - i) else { break }
            let colon = text.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            // The key (with its quotes and the colon) ends here; the value, quoted, follows.
            func isMember(_ key: [UInt8], _ value: UnsafeBufferPointer<UInt8>) -> Bool {
                let start = colon + 1 - key.count, end = colon + 2 + value.count
                return start >= 0 && end < text.count && text[colon + 1] == UInt8(ascii: "\"") && text[end] == UInt8(ascii: "\"")
                    && key.withUnsafeBytes { memcmp(text.baseAddress! + start, $0.baseAddress!, key.count) == 0 }
                    && (value.isEmpty || memcmp(text.baseAddress! + colon + 2, value.baseAddress!, value.count) == 0)
            }
            if idAt == nil, isMember(idKey, id) {
                idAt = colon + 1 - idKey.count
            } else if timeAt == nil, isMember(timeKey, time) {
                timeAt = colon + 1 - timeKey.count
            }
            i = colon + 1
        }
        return (idAt, timeAt)
    }
}
