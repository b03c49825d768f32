import Foundation

/// The parts of a Maildir file name.
public struct MaildirName: Sendable, Equatable {
    /// Everything before the `:2,` info (or before `:` for other info kinds).
    public var uniqueName: String
    /// The flags after `:2,`, nil when there is no info part.
    public var flags: String?
    /// The `S=` size Dovecot and Courier put in the name, when present.
    public var size: Int?
    /// The delivery time at the start of the name, when it is a number.
    public var time: Date?

    public init(_ name: String) {
        // One pass over the bytes: this runs for every message of every run.
        let bytes = Array(name.utf8)
        var infoStart: Int? = nil
        for i in stride(from: bytes.count - 1, through: 0, by: -1)
        where bytes[i] == UInt8(ascii: ":") || bytes[i] == UInt8(ascii: "!") {
            infoStart = i
            break
        }
        let uniqueEnd = infoStart ?? bytes.count
        uniqueName = infoStart == nil ? name : String(decoding: bytes[0..<uniqueEnd], as: UTF8.self)
        if let infoStart, bytes.count - infoStart >= 3, bytes[infoStart + 1] == UInt8(ascii: "2"),
            bytes[infoStart + 2] == UInt8(ascii: ",")
        {
            flags = String(decoding: bytes[(infoStart + 3)...], as: UTF8.self)
        } else {
            flags = nil
        }
        // ",S=12345" after the first comma-separated field.
        size = nil
        var i = 0
        while i < uniqueEnd, bytes[i] != UInt8(ascii: ",") { i += 1 }
        while i + 2 < uniqueEnd {
            if bytes[i] == UInt8(ascii: ","), bytes[i + 1] == UInt8(ascii: "S"), bytes[i + 2] == UInt8(ascii: "=") {
                var value = 0, digits = 0, j = i + 3
                while j < uniqueEnd, bytes[j] >= 0x30, bytes[j] <= 0x39, digits < 18 {
                    value = value * 10 + Int(bytes[j] - 0x30)
                    digits += 1
                    j += 1
                }
                if digits > 0, j == uniqueEnd || bytes[j] == UInt8(ascii: ",") { size = value }
                break
            }
            i += 1
        }
        var seconds = 0, digits = 0
        while digits < uniqueEnd, digits < 18, bytes[digits] >= 0x30, bytes[digits] <= 0x39 {
            seconds = seconds * 10 + Int(bytes[digits] - 0x30)
            digits += 1
        }
        time = digits > 0 ? Date(timeIntervalSince1970: Double(seconds)) : nil
    }
}
