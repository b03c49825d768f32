import Foundation
import MailParsing
import TestSupport
import Testing

/// Bytes of a message written with `\n` line ends; `crlf: true` turns them into CRLF.
func mail(_ text: String, crlf: Bool = false) -> [UInt8] {
    MessageBuilder.bytes(text, lineEnding: crlf ? .crlf : .lf)
}

/// Parses a message that must parse.
func parse(_ text: String, crlf: Bool = false) throws -> MailMessage {
    try MailMessage(bytes: mail(text, crlf: crlf))
}

/// A fixture message (`Tests/Fixtures/mail/NAME`), parsed.
func fixture(_ name: String) throws -> MailMessage {
    try MailMessage(bytes: Fixtures.bytes("mail/" + name))
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
