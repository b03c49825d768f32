import Foundation
import GRDB
import PrivacyEvents

/// How the SQLite ledger's tables keep what the payloads write as text: an event id (a UUID) as
/// 16 bytes, a hash or pseudonym (lower-case hex) as its bytes, a time as milliseconds since 1970.
///
/// Half the size or less, and the same value: a stored value reads back as exactly the text
/// the payload holds. Only text that converts back to itself is stored compactly; any other
/// (a ledger changed by hand, an id from another writer) is kept as the text it is, so that
/// `verify` compares what was really written with the payload.
enum CompactValue {
    /// An event id: 16 bytes for a lower-case UUID in the 8-4-4-4-12 form, else the text.
    static func id(_ text: String) -> DatabaseValue {
        var text = text
        let bytes = text.withUTF8 { utf8 -> Data? in
            guard utf8.count == 36, idGroups.dropFirst().allSatisfy({ utf8[$0.start - 1] == UInt8(ascii: "-") }) else { return nil }
            // The five groups of digits, each an even number long, decoded one after the other.
            var data = Data(count: 16)
            let decoded = data.withUnsafeMutableBytes { raw in
                let out = raw.bindMemory(to: UInt8.self)
                var written = 0
                for (start, end) in idGroups {
                    guard let n = Hex.decodeLowercase(
                        UnsafeBufferPointer(rebasing: utf8[start..<end]), into: UnsafeMutableBufferPointer(rebasing: out[written...]))
                    else { return false }
                    written += n
                }
                return written == 16
            }
            return decoded ? data : nil
        }
        return bytes?.databaseValue ?? text.databaseValue
    }

    /// Where the groups of digits of a UUID's 8-4-4-4-12 form start and end (a `-` before each
    /// but the first).
    private static let idGroups: [(start: Int, end: Int)] = [(0, 8), (9, 13), (14, 18), (19, 23), (24, 36)]

    /// The bytes of lower-case hex (``Hex/decodeLowercase(_:into:)``), as a value; nil for other text.
    private static func decoded(_ utf8: UnsafeBufferPointer<UInt8>) -> DatabaseValue? {
        guard !utf8.isEmpty, utf8.count % 2 == 0 else { return nil }
        var data = Data(count: utf8.count / 2)
        let decoded = data.withUnsafeMutableBytes { Hex.decodeLowercase(utf8, into: $0.bindMemory(to: UInt8.self)) != nil }
        return decoded ? data.databaseValue : nil
    }

    /// A hash or pseudonym: its bytes for non-empty lower-case hex, else the text.
    static func hex(_ text: String) -> DatabaseValue {
        var text = text
        return text.withUTF8(decoded) ?? text.databaseValue
    }

    /// A time: milliseconds for what ``EventChain/timestamp(_:)`` writes, else the text.
    static func time(_ text: String) -> DatabaseValue {
        EventChain.milliseconds(fromTimestamp: text)?.databaseValue ?? text.databaseValue
    }

    /// Whether an event row's id, time and hashes are each in the form this type gives its
    /// text: a value stored as text that would have been stored as bytes or a number is not.
    static func isCompact(id: DatabaseValue, time: DatabaseValue, hashes: [DatabaseValue]) -> Bool {
        func plain(_ value: DatabaseValue, _ convert: (String) -> DatabaseValue) -> Bool {
            guard case .string(let text) = value.storage else { return true }
            if case .string = convert(text).storage { return true }
            return false
        }
        return plain(id, Self.id) && plain(time, Self.time) && hashes.allSatisfy { plain($0, hex) }
    }

    /// A day: its number of days since 1970.
    static func day(_ day: CalendarDay) -> DatabaseValue {
        Int64(day.daysSinceEpoch).databaseValue
    }

    /// The day ``day(_:)`` stored (or an ISO date stored as text); nil for anything else.
    static func day(from value: DatabaseValue) -> CalendarDay? {
        switch value.storage {
        case .int64(let n) where abs(n) < 100_000_000: return CalendarDay(daysSinceEpoch: Int(n))
        case .string(let text): return CalendarDay(iso: text)
        default: return nil
        }
    }

    /// A Message-ID sealed with the pseudonym key (`sealed:` and base64): the sealed bytes;
    /// any other text as it is.
    static func sealed(_ text: String) -> DatabaseValue {
        guard text.hasPrefix(sealedPrefix), let data = Data(base64Encoded: String(text.dropFirst(sealedPrefix.count))),
            sealedPrefix + data.base64EncodedString() == text
        else { return text.databaseValue }
        return data.databaseValue
    }

    /// The text ``sealed(_:)`` stored.
    static func sealedText(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .blob(let data): return sealedPrefix + data.base64EncodedString()
        case .string(let text): return text
        default: return nil
        }
    }

    private static let sealedPrefix = "sealed:"

    /// A list of pseudonyms: their bytes one after another when each is 64 lower-case hex
    /// digits (32 bytes), else the list's packed text.
    static func pseudonyms(_ list: PseudonymList) -> DatabaseValue {
        let packed = Array(list.packed.utf8)
        guard !packed.isEmpty, (packed.count + 1) % 65 == 0,
            stride(from: 64, to: packed.count, by: 65).allSatisfy({ packed[$0] == UInt8(ascii: " ") })
        else { return list.packed.databaseValue }
        // Each 64 digits once the separating spaces are out (a space anywhere else: not hex).
        let digits = packed.enumerated().filter { $0.offset % 65 != 64 }.map(\.element)
        return digits.withUnsafeBufferPointer(decoded) ?? list.packed.databaseValue
    }

    /// The list ``pseudonyms(_:)`` stored.
    static func pseudonymList(_ value: DatabaseValue) -> PseudonymList {
        switch value.storage {
        case .blob(let data) where data.count % 32 == 0:
            return PseudonymList(packed: data.withUnsafeBytes { bytes in
                Hex.encode(raw: bytes, separators: max(0, bytes.count / 32 - 1)) { $0 > 0 && $0 % 32 == 0 ? UInt8(ascii: " ") : nil }
            })
        case .string(let text): return PseudonymList(packed: text)
        default: return PseudonymList(packed: text(value))
        }
    }

    /// The text ``id(_:)`` stored.
    static func idText(_ value: DatabaseValue) -> String {
        guard case .blob(let data) = value.storage else { return text(value) }
        return idText(raw: data)
    }

    /// The text of an id stored as bytes: a UUID for 16 bytes, else their hex.
    static func idText(raw data: Data) -> String {
        data.withUnsafeBytes { bytes in
            guard bytes.count == 16 else { return Hex.encode(raw: bytes) }
            return Hex.encode(raw: bytes, separators: 4) { $0 == 4 || $0 == 6 || $0 == 8 || $0 == 10 ? UInt8(ascii: "-") : nil }
        }
    }

    /// The text ``hex(_:)`` stored.
    static func hexText(_ value: DatabaseValue) -> String {
        text(value)
    }

    /// The text ``time(_:)`` stored.
    static func timeText(_ value: DatabaseValue) -> String {
        if case .int64(let ms) = value.storage { return EventChain.timestamp(milliseconds: ms) }
        return text(value)
    }

    /// A value as text: blobs in lower-case hex, numbers in decimal.
    private static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return ""
        case .int64(let n): return String(n)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .blob(let data): return data.withUnsafeBytes { Hex.encode(raw: $0) }
        }
    }

    /// SQL functions of the same conversions, for the migration that converts a ledger's rows.
    /// A value of a text column of the old schema that is not text (stored so by hand): kept as
    /// text that no payload holds, so that `verify` reports it as it did before the conversion
    /// (as bytes, it would read back as the text it encodes).
    private static func notText(_ value: DatabaseValue) -> DatabaseValue {
        "not text: \(value)".databaseValue
    }

    static let functions: [DatabaseFunction] = [
        DatabaseFunction("privctl_compact_id", argumentCount: 1, pure: true) { values in
            guard case .string(let text) = values[0].storage else { return values[0].isNull ? values[0] : notText(values[0]) }
            return id(text)
        },
        DatabaseFunction("privctl_compact_hex", argumentCount: 1, pure: true) { values in
            guard case .string(let text) = values[0].storage else { return values[0].isNull ? values[0] : notText(values[0]) }
            return hex(text)
        },
        DatabaseFunction("privctl_compact_time", argumentCount: 1, pure: true) { values in
            guard case .string(let text) = values[0].storage else { return values[0].isNull ? values[0] : notText(values[0]) }
            return time(text)
        },
        DatabaseFunction("privctl_compact_day", argumentCount: 1, pure: true) { values in
            guard case .string(let text) = values[0].storage, let parsed = CalendarDay(iso: text), parsed.description == text
            else { return values[0] }
            return day(parsed)
        },
        DatabaseFunction("privctl_compact_sealed", argumentCount: 1, pure: true) { values in
            guard case .string(let text) = values[0].storage else { return values[0] }
            return sealed(text)
        },
        DatabaseFunction("privctl_compact_pseudonyms", argumentCount: 1, pure: true) { values in
            guard case .string(let text) = values[0].storage else { return values[0] }
            return pseudonyms(PseudonymList(packed: text))
        },
    ]
}
