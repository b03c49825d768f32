/// A subject index compared as a whole: the number of (event, subject) pairs and the sum of a
/// keyed hash of each, from the payloads on one side and the index's rows on the other.
///
/// Equal digests mean the same pairs (the index holds each pair once): every event's subjects
/// are indexed, and no row names an event that is not there, without a lookup per event. The
/// hash (Swift's `Hasher`, SipHash) is keyed anew in every process with random bytes of its
/// own (even where `SWIFT_DETERMINISTIC_HASHING` fixes `Hasher`'s seed), so a changed index
/// cannot be prepared to sum the same. When the digests differ, a backend checks event by event
/// to say where.
public struct SubjectDigest: Sendable, Equatable {
    /// Pairs added.
    public private(set) var count = 0
    /// The sum of their hashes (wrapping).
    public private(set) var sum: UInt64 = 0

    public init() {}

    /// Adds the pair of an event id and one of its subjects (UTF-8).
    public mutating func add(event: UnsafeRawBufferPointer, subject: UnsafeRawBufferPointer) {
        var hasher = Hasher()
        hasher.combine(Self.key.0)
        hasher.combine(Self.key.1)
        hasher.combine(bytes: event)
        hasher.combine(UInt8(0))
        hasher.combine(bytes: subject)
        count += 1
        sum &+= UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// Adds the pair of an event id and one of its subjects.
    public mutating func add(event: String, subject: String) {
        var event = event, subject = subject
        event.withUTF8 { e in subject.withUTF8 { s in add(event: UnsafeRawBufferPointer(e), subject: UnsafeRawBufferPointer(s)) } }
    }

    /// This process's key.
    private static let key: (UInt64, UInt64) = {
        var rng = SystemRandomNumberGenerator()
        return (rng.next(), rng.next())
    }()

    /// Both digests' pairs.
    public mutating func add(_ other: SubjectDigest) {
        count += other.count
        sum &+= other.sum
    }
}
