import Foundation

/// A payload stored as the difference from an earlier one: the members of its canonical JSON
/// object that an earlier event's payload has too, with the same value, written as `@`.
///
/// A message's retain event repeats most of its collect event, the one appended just before
/// it: the people, the location, the purpose and legal basis. Stored as a delta it keeps only
/// what is its own (its id, its dates, its rule), about a third of its compressed size. The
/// hash chain still covers the whole canonical JSON: a delta is merged with its base before
/// it is hashed or read, so a changed base shows as a changed event.
///
///     base   {"kind":"collect","location":{"item":"cur/1"},"purpose":"Mail."}
///     event  {"kind":"retain","location":{"item":"cur/1"},"purpose":"Mail."}
///     delta  {"kind":"retain","location":@,"purpose":@}
///
/// Only top-level members are inherited, by key and the exact bytes of their value; keys and
/// order come from the delta, so merging reproduces the event byte for byte (``make(_:base:minimumShare:)``
/// checks that it does before it offers a delta).
enum PayloadDelta {
    /// The placeholder for a member whose value is the base's: not JSON, so no value is it.
    static let inherited = UInt8(ascii: "@")

    /// A member of a JSON object: its key (with its quotes) and its value, as ranges of its text.
    typealias Member = (key: Range<Int>, value: Range<Int>)

    /// A payload stored whole that deltas name as their base, its members found once however
    /// many deltas read it.
    final class Base {
        let payload: String
        private(set) lazy var members: [Member]? = {
            var payload = payload
            return payload.withUTF8 { PayloadDelta.members(of: $0) }
        }()

        init(_ payload: String) {
            var payload = payload
            payload.makeContiguousUTF8()
            self.payload = payload
        }
    }

    /// `payload` as a delta from `base`, and how many bytes of value it inherits; nil when it
    /// inherits less than `minimumShare` of its bytes (a retain event inherits about three
    /// quarters of its collect event; with less in common a payload compresses about as well
    /// whole), or either is not a JSON object of members this reads.
    static func make(_ payload: String, base: Base, minimumShare: Double = 0.6) -> (delta: String, inheritedBytes: Int)? {
        var payload = payload, baseText = base.payload
        guard let theirs = base.members else { return nil }
        return payload.withUTF8 { event in
            baseText.withUTF8 { baseBytes -> (String, Int)? in
                guard let own = members(of: event) else { return nil }
                // First which members it inherits, then (only when enough) the delta.
                var inherits = [Bool](repeating: false, count: own.count)
                var inheritedBytes = 0
                var next = 0
                for (n, member) in own.enumerated() where member.value.count > 1 {
                    if let j = find(event, member.key, in: baseBytes, theirs, from: &next), same(baseBytes, theirs[j].value, event, member.value) {
                        inherits[n] = true
                        inheritedBytes += member.value.count
                    }
                }
                guard inheritedBytes > 0, Double(inheritedBytes) >= minimumShare * Double(event.count) else { return nil }
                var out: [UInt8] = [UInt8(ascii: "{")]
                out.reserveCapacity(event.count - inheritedBytes + own.count + 2)
                for (n, member) in own.enumerated() {
                    if n > 0 { out.append(UInt8(ascii: ",")) }
                    out += event[member.key]
                    out.append(UInt8(ascii: ":"))
                    if inherits[n] { out.append(inherited) } else { out += event[member.value] }
                }
                out.append(UInt8(ascii: "}"))
                // What is stored must merge back into exactly this event.
                guard var merged = out.withUnsafeBufferPointer({ apply($0, to: base) }),
                    merged.withUTF8({ $0.count == event.count && memcmp($0.baseAddress!, event.baseAddress!, event.count) == 0 })
                else { return nil }
                return (String(decoding: out, as: UTF8.self), inheritedBytes)
            }
        }
    }

    /// ``make(_:base:minimumShare:)`` from a base given as text.
    static func make(_ payload: String, base: String, minimumShare: Double = 0.6) -> (delta: String, inheritedBytes: Int)? {
        make(payload, base: Base(base), minimumShare: minimumShare)
    }

    /// The payload `delta` stands for, with its inherited members' values taken from `base`;
    /// nil when either does not read as members, a member it inherits is not in the base, or
    /// it is not UTF-8.
    static func apply(_ delta: UnsafeBufferPointer<UInt8>, to base: Base) -> String? {
        guard let own = members(of: delta), let theirs = base.members else { return nil }
        var baseText = base.payload
        return baseText.withUTF8 { baseBytes -> String? in
            // Where each value comes from: the delta (-1) or the base's member j.
            var sources = [Int](repeating: -1, count: own.count)
            var total = 1 + max(own.count, 1)  // the braces and the commas
            var next = 0
            for (n, member) in own.enumerated() {
                total += member.key.count + 1
                if member.value.count == 1, delta[member.value.lowerBound] == inherited {
                    guard let j = find(delta, member.key, in: baseBytes, theirs, from: &next) else { return nil }
                    sources[n] = j
                    total += theirs[j].value.count
                } else {
                    total += member.value.count
                }
            }
            // A member inherited again and again is no delta privctl writes, and could make a
            // few stored bytes into a payload many times the base's size.
            guard total <= delta.count + baseBytes.count else { return nil }
            let text = String(unsafeUninitializedCapacity: total) { out in
                var at = 0
                func put(_ from: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
                    UnsafeMutableRawPointer(out.baseAddress! + at).copyMemory(
                        from: from.baseAddress! + range.lowerBound, byteCount: range.count)
                    at += range.count
                }
                out[at] = UInt8(ascii: "{")
                at += 1
                for (n, member) in own.enumerated() {
                    if n > 0 {
                        out[at] = UInt8(ascii: ",")
                        at += 1
                    }
                    put(delta, member.key)
                    out[at] = UInt8(ascii: ":")
                    at += 1
                    if sources[n] >= 0 { put(baseBytes, theirs[sources[n]].value) } else { put(delta, member.value) }
                }
                out[at] = UInt8(ascii: "}")
                return at + 1
            }
            // String(unsafeUninitializedCapacity:) repairs invalid UTF-8; such bytes are no payload.
            return text.utf8.count == total ? text : nil
        }
    }

    /// The base's member whose key is `key` of `text`, searched from `next` on: members of
    /// canonical JSON and of its deltas come in the same order, so a delta inherits in the
    /// base's order, each member once, and merging takes one pass over the base (a delta
    /// that names them in another order is none privctl wrote).
    private static func find(
        _ text: UnsafeBufferPointer<UInt8>, _ key: Range<Int>, in base: UnsafeBufferPointer<UInt8>, _ theirs: [Member],
        from next: inout Int
    ) -> Int? {
        for j in next..<theirs.count where same(base, theirs[j].key, text, key) {
            next = j + 1
            return j
        }
        return nil
    }

    private static func same(
        _ a: UnsafeBufferPointer<UInt8>, _ ra: Range<Int>, _ b: UnsafeBufferPointer<UInt8>, _ rb: Range<Int>
    ) -> Bool {
        ra.count == rb.count && memcmp(a.baseAddress! + ra.lowerBound, b.baseAddress! + rb.lowerBound, ra.count) == 0
    }

    /// The top-level members of a JSON object without white space (canonical JSON, or a
    /// delta): each key (with its quotes) and value as ranges of `text`; nil when it is not one.
    static func members(of text: UnsafeBufferPointer<UInt8>) -> [Member]? {
        guard text.count >= 2, text.first == UInt8(ascii: "{"), text.last == UInt8(ascii: "}") else { return nil }
        var found: [Member] = []
        found.reserveCapacity(16)
        var i = 1
        let end = text.count - 1
        if i == end { return found }
        while true {
            guard i < end, text[i] == UInt8(ascii: "\""), let keyEnd = stringEnd(text, from: i, limit: end) else { return nil }
            let key = i..<keyEnd
            guard keyEnd < end, text[keyEnd] == UInt8(ascii: ":") else { return nil }
            let valueStart = keyEnd + 1
            guard let valueEnd = valueEnd(text, from: valueStart, limit: end), valueEnd > valueStart else { return nil }
            found.append((key, valueStart..<valueEnd))
            if valueEnd == end { return found }
            guard text[valueEnd] == UInt8(ascii: ",") else { return nil }
            i = valueEnd + 1
        }
    }

    /// The index just past the string that starts (with its quote) at `start`.
    private static func stringEnd(_ text: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int? {
        var i = start + 1
        while i < limit {
            switch text[i] {
            case UInt8(ascii: "\\"): i += 2
            case UInt8(ascii: "\""): return i + 1
            default: i += 1
            }
        }
        return nil
    }

    /// The index just past the value that starts at `start`: a string, an object or array
    /// (brackets counted, strings skipped), or a bare word or number up to `,` or the end.
    private static func valueEnd(_ text: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int? {
        guard start < limit else { return nil }
        switch text[start] {
        case UInt8(ascii: "\""):
            return stringEnd(text, from: start, limit: limit)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var i = start
            while i < limit {
                switch text[i] {
                case UInt8(ascii: "\""):
                    guard let end = stringEnd(text, from: i, limit: limit) else { return nil }
                    i = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                default:
                    break
                }
                i += 1
            }
            return nil
        default:
            var i = start
            while i < limit, text[i] != UInt8(ascii: ","), text[i] != UInt8(ascii: "}"), text[i] != UInt8(ascii: "]") { i += 1 }
            return i
        }
    }
}
