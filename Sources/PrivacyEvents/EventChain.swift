import Crypto
import Foundation

/// An event as the ledger stores it: its place in the host's hash chain.
public struct ChainedEvent: Hashable, Sendable {
    /// 1-based position in the chain of ``PrivacyEvent/host``.
    public var sequence: Int64
    /// The event.
    public var event: PrivacyEvent
    /// The canonical JSON the hash covers. Stored verbatim, so verification never depends on
    /// how a later version encodes events.
    public var payload: String
    /// Hash of the previous event in the same host's chain (64 zeros for the first).
    public var previousHash: String
    /// SHA-256 over the previous hash and the payload.
    public var hash: String

    public init(sequence: Int64, event: PrivacyEvent, payload: String, previousHash: String, hash: String) {
        self.sequence = sequence
        self.event = event
        self.payload = payload
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// The hash chain rules, shared by every ledger backend.
///
/// Each host has its own chain: event *n* stores the hash of event *n−1* of the same host, and
/// its own hash is SHA-256 of `previousHash + "\n" + payload`, where the payload is the event's
/// canonical JSON (keys sorted, no insignificant whitespace). Removing, reordering or changing
/// an event breaks every later link.
public enum EventChain {
    /// The previous hash of a chain's first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// The canonical JSON of an event (see ``CanonicalJSON``).
    public static func payload(of event: PrivacyEvent) -> String {
        CanonicalJSON.encode(event)
    }

    /// Decodes a stored payload.
    public static func event(fromPayload payload: String) throws -> PrivacyEvent {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = EventChain.date(fromTimestamp: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad time \(text)"))
            }
            return date
        }
        return try decoder.decode(PrivacyEvent.self, from: Data(payload.utf8))
    }

    /// The hash of a link.
    public static func hash(previousHash: String, payload: String) -> String {
        digest(previousHash: previousHash, payload: payload).withUnsafeBytes { Hex.encode(raw: $0) }
    }

    /// Whether `hash` is ``hash(previousHash:payload:)``, compared digit by digit without
    /// making the text of the hash (`verify` checks every event so).
    public static func isHash(_ hash: String, previousHash: String, payload: String) -> Bool {
        let digest = digest(previousHash: previousHash, payload: payload)
        var hash = hash
        let digits: StaticString = "0123456789abcdef"
        return hash.withUTF8 { text in
            digits.withUTF8Buffer { table in
                digest.withUnsafeBytes { bytes in
                    guard text.count == bytes.count * 2 else { return false }
                    for index in 0..<bytes.count
                    where text[2 * index] != table[Int(bytes[index] >> 4)] || text[2 * index + 1] != table[Int(bytes[index] & 0x0f)] {
                        return false
                    }
                    return true
                }
            }
        }
    }

    /// SHA-256 of `previousHash`, a line feed and `payload`.
    private static func digest(previousHash: String, payload: String) -> SHA256.Digest {
        var hasher = SHA256()
        var previousHash = previousHash, payload = payload
        // Over the strings' own UTF-8 storage: `verify` hashes every payload, copies cost.
        previousHash.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0x0a)) { hasher.update(bufferPointer: $0) }
        payload.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return hasher.finalize()
    }

    /// Links an event after `previous` (nil for the first of a chain).
    public static func link(_ event: PrivacyEvent, after previous: (sequence: Int64, hash: String)?) -> ChainedEvent {
        link(EncodedEvent(event), after: previous)
    }

    /// Links an event whose payload is made already after `previous`.
    public static func link(_ encoded: EncodedEvent, after previous: (sequence: Int64, hash: String)?) -> ChainedEvent {
        let event = encoded.event, payload = encoded.payload
        let prev = previous?.hash ?? genesis
        return ChainedEvent(
            sequence: (previous?.sequence ?? 0) + 1, event: event, payload: payload,
            previousHash: prev, hash: hash(previousHash: prev, payload: payload))
    }

    /// `2026-11-26T06:09:30.123Z`.
    public static func timestamp(_ date: Date) -> String {
        timestamp(milliseconds: milliseconds(of: date))
    }

    /// Whole milliseconds since 1970 of `date` (rounded down), the precision of event times.
    public static func milliseconds(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// ``timestamp(_:)`` of an instant given in milliseconds since 1970, without going through
    /// a floating-point `Date`.
    public static func timestamp(milliseconds ms: Int64) -> String {
        // Past any calendar (a value written by hand): the number itself, which no payload's
        // time is.
        guard ms > -(1 << 53), ms < 1 << 53 else { return String(ms) }
        let day = CalendarDay(daysSinceEpoch: Int((Double(ms) / 86_400_000).rounded(.down)))
        var rest = ms - Int64(day.daysSinceEpoch) * 86_400_000
        let h = rest / 3_600_000
        rest %= 3_600_000
        let m = rest / 60_000
        rest %= 60_000
        let s = rest / 1000
        let milli = rest % 1000
        if (0...9999).contains(day.year) {
            // Digit by digit: `ledger verify` formats one per event it reads.
            let fields = [(Int64(day.year), 4), (Int64(day.month), 2), (Int64(day.day), 2), (h, 2), (m, 2), (s, 2), (milli, 3)]
            let separators: [UInt8] = Array("--T::.Z".utf8)
            return String(unsafeUninitializedCapacity: 24) { out in
                var n = 0
                for (index, (value, width)) in fields.enumerated() {
                    var v = value
                    for position in stride(from: width - 1, through: 0, by: -1) {
                        out[n + position] = UInt8(0x30 + v % 10)
                        v /= 10
                    }
                    n += width
                    out[n] = separators[index]
                    n += 1
                }
                return n
            }
        }
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let three = milli < 10 ? "00\(milli)" : milli < 100 ? "0\(milli)" : "\(milli)"
        return "\(day)T\(two(h)):\(two(m)):\(two(s)).\(three)Z"
    }

    /// The milliseconds since 1970 of exactly what ``timestamp(milliseconds:)`` writes (nil for
    /// any other text, so that the text can be kept as it is).
    public static func milliseconds(fromTimestamp text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[10] == UInt8(ascii: "T"), bytes[23] == UInt8(ascii: "Z"),
            let day = CalendarDay(iso: String(decoding: bytes[0..<10], as: UTF8.self))
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."),
            let h = number(11..<13), let m = number(14..<16), let s = number(17..<19), let milli = number(20..<23),
            h < 24, m < 60, s < 60
        else { return nil }
        let ms = Int64(day.daysSinceEpoch) * 86_400_000 + h * 3_600_000 + m * 60_000 + s * 1000 + milli
        return timestamp(milliseconds: ms) == text ? ms : nil
    }

    /// Parses what ``timestamp(_:)`` writes.
    public static func date(fromTimestamp text: String) -> Date? {
        let parts = text.split(separator: "T")
        guard parts.count == 2, let day = CalendarDay(iso: String(parts[0])) else { return nil }
        var time = parts[1]
        guard time.hasSuffix("Z") else { return nil }
        time.removeLast()
        let hms = time.split(separator: ":")
        guard hms.count == 3, let h = Int(hms[0]), let m = Int(hms[1]) else { return nil }
        let secParts = hms[2].split(separator: ".")
        guard let s = Int(secParts[0]) else { return nil }
        let ms = secParts.count > 1 ? Int(secParts[1]) ?? 0 : 0
        let total = Int64(day.daysSinceEpoch) * 86_400_000 + Int64(h * 3_600_000 + m * 60_000 + s * 1000 + ms)
        return Date(timeIntervalSince1970: Double(total) / 1000)
    }
}
