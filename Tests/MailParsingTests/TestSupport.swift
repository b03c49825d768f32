import Foundation
import MailParsing
import TestSupport
import Testing

/// The shared corpus beside the project, located from this file (three levels below the root).
enum Corpus {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/corpus").standardizedFileURL

    /// The bytes of a corpus file, path relative to the corpus folder.
    static func bytes(_ path: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: folder.appendingPathComponent(path)))
    }

    /// A corpus message file, parsed.
    static func message(_ path: String) throws -> MailMessage {
        try MailMessage(bytes: bytes(path))
    }
}

/// Fixture files kept beside the tests (regression inputs).
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
    }
}

/// Bytes of a message written with `\n` line ends; `crlf: true` turns them into CRLF.
func mail(_ text: String, crlf: Bool = false) -> [UInt8] {
    MessageBuilder.bytes(text, lineEnding: crlf ? .crlf : .lf)
}

/// Parses a message that must parse.
func parse(_ text: String, crlf: Bool = false) throws -> MailMessage {
    try MailMessage(bytes: mail(text, crlf: crlf))
}

/// The `(name, address)` pairs of a list, for compact expectations.
func pairs(_ addresses: [MailAddress]) -> [String] {
    addresses.map { $0.name.isEmpty ? $0.address : "\($0.name) <\($0.address)>" }
}

/// Seconds taken by `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = Date()
    try body()
    return Date().timeIntervalSince(start)
}
