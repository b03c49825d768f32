// libFuzzer entry point for MailParsing. Not a SwiftPM target: scripts/fuzz-mail-parser.sh
// compiles it together with Sources/MailParsing/*.swift into one instrumented binary.

import Foundation

/// Parses the input as a message and reads everything a caller can read from it.
///
/// Every accessor runs, including the decoders, so a crash anywhere in the module surfaces
/// here; the values are discarded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let message = try? MailMessage(bytes: bytes) else { return 0 }

    _ = message.messageID
    _ = message.subject
    _ = message.date
    for field in AddressField.allCases { _ = message.addresses(field) }
    for field in message.header.fields {
        _ = field.unfoldedValue
        _ = field.decodedText
    }
    for part in message.leafParts {
        _ = message.decodedBody(of: part)
        _ = message.decodedSize(of: part)
        _ = message.text(of: part)
        _ = part.filename
        _ = part.disposition
        _ = part.contentType.charset
        for field in part.header.fields { _ = field.decodedText }
    }
    let summary = MessageSummary(message: message)
    _ = try? JSONEncoder().encode(summary)
    return 0
}
