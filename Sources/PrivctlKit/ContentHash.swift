import Crypto
import PrivacyEvents

/// SHA-256 of message bytes, lower-case hex: the content identity in ledger events and the mbox
/// scan index.
enum ContentHash {
    static func sha256(_ bytes: [UInt8]) -> String { Hex.encode(SHA256.hash(data: bytes)) }
}
