/// A container's listing in a few bytes: how many messages it held and a keyed sum over each
/// one's item (its name in the container) and size.
///
/// The scan index keeps one per folder it has indexed whole; a later run that lists the same
/// folder to the same digest knows, without a lookup per message, that the folder holds what the
/// index says (see ``MailStoreFormat/list(_:into:)``). The sum does not depend on listing order.
///
/// The hash is SipHash-2-4 under a random 128-bit salt chosen when the digest is made and kept
/// beside it: whoever controls the folder sees neither the salt nor the digest, so cannot choose
/// names that sum to the digest of a different listing.
public struct ListingDigest: Sendable, Equatable {
    /// The SipHash key.
    public let salt: (UInt64, UInt64)
    /// Messages added.
    public private(set) var count = 0
    /// The sum (wrapping) of every message's hash.
    public private(set) var sum: UInt64 = 0

    /// An empty digest under `salt`.
    public init(salt: (UInt64, UInt64)) { self.salt = salt }

    /// A digest as stored: its salt, count and sum.
    public init(salt: (UInt64, UInt64), count: Int, sum: UInt64) {
        self.salt = salt
        self.count = count
        self.sum = sum
    }

    /// An empty digest under a salt of fresh random bytes.
    public static func random() -> ListingDigest {
        var generator = SystemRandomNumberGenerator()
        return ListingDigest(salt: (generator.next(), generator.next()))
    }

    /// Adds one message: its item (`cur/NAME` for a Maildir file) and size.
    public mutating func add(item: String, size: Int) {
        var item = item
        var hasher = SipHash24(key: salt)
        let hash = item.withUTF8 { hasher.hash(UnsafeRawBufferPointer($0), tail: UInt64(bitPattern: Int64(size))) }
        count += 1
        sum &+= hash
    }

    public static func == (lhs: ListingDigest, rhs: ListingDigest) -> Bool {
        lhs.salt == rhs.salt && lhs.count == rhs.count && lhs.sum == rhs.sum
    }
}

/// SipHash-2-4 (Aumasson and Bernstein) of a byte string followed by one 64-bit word.
struct SipHash24 {
    private var v0: UInt64, v1: UInt64, v2: UInt64, v3: UInt64

    init(key: (UInt64, UInt64)) {
        v0 = key.0 ^ 0x736f_6d65_7073_6575
        v1 = key.1 ^ 0x646f_7261_6e64_6f6d
        v2 = key.0 ^ 0x6c79_6765_6e65_7261
        v3 = key.1 ^ 0x7465_6462_7974_6573
    }

    private mutating func round() {
        v0 &+= v1; v1 = v1.rotatedLeft(13); v1 ^= v0; v0 = v0.rotatedLeft(32)
        v2 &+= v3; v3 = v3.rotatedLeft(16); v3 ^= v2
        v0 &+= v3; v3 = v3.rotatedLeft(21); v3 ^= v0
        v2 &+= v1; v1 = v1.rotatedLeft(17); v1 ^= v2; v2 = v2.rotatedLeft(32)
    }

    private mutating func compress(_ m: UInt64) {
        v3 ^= m
        round()
        round()
        v0 ^= m
    }

    /// The hash of `bytes` followed by the eight little-endian bytes of `tail`.
    mutating func hash(_ bytes: UnsafeRawBufferPointer, tail: UInt64) -> UInt64 {
        let length = bytes.count + 8
        var i = 0
        while i + 8 <= bytes.count {
            compress(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        // The rest of the bytes, then the tail word, then SipHash's final block with the length.
        var pending: UInt64 = 0
        var shift: UInt64 = 0
        func push(_ byte: UInt8) {
            pending |= UInt64(byte) << shift
            shift += 8
            if shift == 64 {
                compress(pending)
                pending = 0
                shift = 0
            }
        }
        while i < bytes.count {
            push(bytes[i])
            i += 1
        }
        for b in 0..<8 { push(UInt8(truncatingIfNeeded: tail >> UInt64(b * 8))) }
        pending |= UInt64(UInt8(truncatingIfNeeded: length)) << 56
        compress(pending)
        v2 ^= 0xff
        round()
        round()
        round()
        round()
        return v0 ^ v1 ^ v2 ^ v3
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(_ n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}
