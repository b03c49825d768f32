/// A Bloom filter of pseudonyms: whether a set may hold a pseudonym (no false negatives; about
/// one false positive in a hundred), in ten bits per pseudonym. The scrub index keeps one per
/// backup archive, so that a new erasure request opens only the archives that may name the
/// person. A pseudonym is already a keyed hash, so its own bytes serve as the filter's hashes:
/// without the key, the filter says nothing about an address.
public struct PseudonymFilter: Sendable, Equatable {
    /// The bits, 64 to a word.
    private var words: [UInt64]
    /// Hashes per pseudonym: seven 28-bit slices of its first 196 bits.
    static let hashes = 7

    /// An empty filter sized for about `capacity` pseudonyms.
    public init(capacity: Int) {
        let bits = max(1024, capacity * 10)
        words = [UInt64](repeating: 0, count: (bits + 63) / 64)
    }

    /// A filter holding these pseudonyms.
    public init(_ pseudonyms: some Collection<Pseudonym>) {
        self.init(capacity: pseudonyms.count)
        for pseudonym in pseudonyms { insert(pseudonym) }
    }

    /// A filter read back from ``bytes``; nil when they are not one.
    public init?(bytes: [UInt8]) {
        guard !bytes.isEmpty, bytes.count % 8 == 0 else { return nil }
        words = stride(from: 0, to: bytes.count, by: 8).map { start in
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[start + $1]) << (8 * UInt64($1)) }
        }
    }

    /// The filter as bytes (its words, little-endian).
    public var bytes: [UInt8] {
        words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (8 * UInt64($0))) } }
    }

    /// Adds a pseudonym.
    public mutating func insert(_ pseudonym: Pseudonym) {
        for bit in positions(pseudonym) { words[bit / 64] |= 1 << UInt64(bit % 64) }
    }

    /// Whether the set may hold the pseudonym: false means it certainly does not.
    public func mayContain(_ pseudonym: Pseudonym) -> Bool {
        positions(pseudonym).allSatisfy { words[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }

    /// The bit positions of a pseudonym: slices of its hex digits taken modulo the size. A
    /// value that is not a pseudonym's 64 hex digits hashes as its UTF-8 bytes folded (never
    /// the case for privctl's own, but the filter must not trap on one).
    private func positions(_ pseudonym: Pseudonym) -> [Int] {
        let bits = words.count * 64
        var nibbles: [UInt64] = []
        nibbles.reserveCapacity(64)
        for byte in pseudonym.rawValue.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibbles.append(UInt64(byte - UInt8(ascii: "0")))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibbles.append(UInt64(byte - UInt8(ascii: "a") + 10))
            default: nibbles.append(UInt64(byte & 0x0F))
            }
        }
        while nibbles.count < 7 * Self.hashes { nibbles.append(UInt64(nibbles.count) & 0x0F) }
        return (0..<Self.hashes).map { n in
            let value = (0..<7).reduce(UInt64(0)) { $0 << 4 | nibbles[n * 7 + $1] }
            return Int(value % UInt64(bits))
        }
    }
}
