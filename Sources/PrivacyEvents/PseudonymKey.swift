import Crypto
import FileSystem
import Foundation

/// The local secret that turns addresses into ``Pseudonym``s.
///
/// The key is 32 random bytes in a file of mode 0600, created on first use. Every host of a
/// fleet must use the same key, or one person becomes a different pseudonym on each host.
public struct PseudonymKey: Sendable {
    // HMAC's inner and outer pads (RFC 2104), made once: a store's first run computes a
    // pseudonym for every address of every message.
    private let innerPad: [UInt8]
    private let outerPad: [UInt8]
    /// The key that seals what local state keeps of a message beside the ledger (the scan
    /// index's Message-IDs), derived from the pseudonym key with HKDF-SHA-256.
    private let sealingKey: [UInt8]

    /// A short, non-secret identifier of the key (first 8 bytes of SHA-256 of the key, hex), so
    /// ledgers can record which key made their pseudonyms.
    public let fingerprint: String

    /// A key from raw bytes (at least 32).
    public init(bytes: [UInt8]) {
        // Keys longer than SHA-256's 64-byte block are hashed first, as RFC 2104 says.
        var block = bytes.count > 64 ? Array(SHA256.hash(data: bytes)) : bytes
        block += [UInt8](repeating: 0, count: 64 - block.count)
        innerPad = block.map { $0 ^ 0x36 }
        outerPad = block.map { $0 ^ 0x5c }
        sealingKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: bytes), info: Array("privctl sealed local state v1".utf8),
            outputByteCount: 32
        ).withUnsafeBytes { Array($0) }
        fingerprint = Hex.encode(SHA256.hash(data: bytes).prefix(8))
    }

    /// Loads the key file, or creates it with fresh random bytes (mode 0600) when it does not exist.
    ///
    /// - Throws: ``PseudonymKeyError`` when the file exists but is not a key, is readable by
    ///   others, or cannot be created.
    public static func loadOrCreate(at url: URL) throws(PseudonymKeyError) -> PseudonymKey {
        let path = url.path
        if FileManager.default.fileExists(atPath: path) { return try load(at: url) }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        let (directoryPath, name) = FileSystem.split(path)
        do {
            let directory = try FileSystem.openOwnDirectory(directoryPath)
            let file = try directory.createFile(name, permissions: 0o600)
            try file.write(Array((Hex.encode(bytes) + "\n").utf8))
            try file.sync()
            try directory.sync()
        } catch where error.code == .alreadyExists {
            // Lost a race with another process creating it: use theirs.
            return try load(at: url)
        } catch {
            throw PseudonymKeyError("cannot create the pseudonym key \(path): \(error.problem)")
        }
        return PseudonymKey(bytes: bytes)
    }

    /// Loads an existing key file (64 hex digits). Refuses a file that group or others can read,
    /// and anything but a regular file.
    public static func load(at url: URL) throws(PseudonymKeyError) -> PseudonymKey {
        let path = url.path
        let text: [UInt8]
        do {
            let file = try FileSystem.openFile(atPath: FileSystem.resolveNamedPath(path))
            let info = try file.info()
            if info.permissions & 0o077 != 0 {
                throw PseudonymKeyError(
                    "the pseudonym key \(path) is readable by others (mode \(String(info.permissions & 0o777, radix: 8))); run chmod 600 on it")
            }
            text = try file.readAll(limit: 4096)
        } catch let error as PseudonymKeyError {
            throw error
        } catch let error as PrivctlError {
            throw PseudonymKeyError("cannot read the pseudonym key \(path): \(error.problem)")
        } catch {
            throw PseudonymKeyError("cannot read the pseudonym key \(path): \(error)")
        }
        let trimmed = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Hex.decode(trimmed), bytes.count >= 32 else {
            throw PseudonymKeyError("the pseudonym key \(path) is not 64 hexadecimal digits")
        }
        return PseudonymKey(bytes: bytes)
    }

    /// The pseudonym of an address: HMAC-SHA-256 of its normalised form.
    ///
    /// Normalisation trims whitespace and angle brackets and lower-cases the whole address: mail
    /// systems treat local parts case-insensitively in practice, and one person must not become
    /// two pseudonyms because of capitalisation.
    public func pseudonym(for address: String) -> Pseudonym {
        Pseudonym(rawValue: hmac(Self.normalise(address)))
    }

    /// The keyed hash of a Message-ID, as the ledger records it (never the Message-ID itself:
    /// some clients put the sender's address in it): HMAC-SHA-256 of "message-id:" and the
    /// Message-ID normalised as addresses are (no angle brackets, lower-cased), in hex. The
    /// prefix keeps it apart from the pseudonym of an address written the same way.
    public func messageIDHash(for messageID: String) -> String {
        hmac("message-id:" + Self.normalise(messageID))
    }

    /// A text sealed (AES-256-GCM, a fresh nonce each time) for local state that must not hold
    /// it in plain text, such as the scan index's Message-IDs: "sealed:" and the base64 of
    /// nonce, ciphertext and tag.
    public func seal(_ text: String) -> String {
        // Sealing fails only for a nonce of the wrong size, which AES.GCM makes itself.
        let box = try! AES.GCM.seal(Array(text.utf8), using: SymmetricKey(data: sealingKey))
        return Self.sealedPrefix + box.combined!.base64EncodedString()
    }

    /// The text ``seal(_:)`` sealed; a text without the "sealed:" prefix (written before
    /// sealing) as it is; nil when it was sealed with another key or is damaged.
    public func unseal(_ sealed: String) -> String? {
        guard sealed.hasPrefix(Self.sealedPrefix) else { return sealed }
        guard let data = Data(base64Encoded: String(sealed.dropFirst(Self.sealedPrefix.count))),
            let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: SymmetricKey(data: sealingKey))
        else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    private static let sealedPrefix = "sealed:"

    /// HMAC-SHA-256 of a text's UTF-8 bytes, in lower-case hex.
    private func hmac(_ text: String) -> String {
        var inner = SHA256()
        inner.update(data: innerPad)
        inner.update(data: Array(text.utf8))
        var outer = SHA256()
        outer.update(data: outerPad)
        outer.update(data: Array(inner.finalize()))
        return Hex.encode(outer.finalize())
    }

    /// The form of an address that is hashed.
    public static func normalise(_ address: String) -> String {
        // The common case, a plain lower-case ASCII address, is returned as it is.
        if address.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && !($0 >= 0x41 && $0 <= 0x5a) && $0 != 0x3c }) {
            return address
        }
        // Printable ASCII (a Message-ID in its angle brackets): the same steps on bytes.
        let bytes = address.utf8
        if !bytes.isEmpty, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) {
            var slice = Substring(address).utf8[...]
            if bytes.count >= 2, bytes.first == 0x3c, bytes.last == 0x3e { slice = slice.dropFirst().dropLast() }
            return String(decoding: slice.map { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        var text = address.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("<") && text.hasSuffix(">") && text.count >= 2 {
            text = String(text.dropFirst().dropLast())
        }
        return text.lowercased()
    }
}

/// Why the pseudonym key could not be used.
public struct PseudonymKeyError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
