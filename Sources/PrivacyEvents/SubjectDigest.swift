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

    /// How a backend stores a subject, for ``add(event:storedSubject:form:)``.
    public enum StoredForm: UInt8, Sendable {
        /// Its UTF-8 text.
        case text = 0
        /// The bytes of its lower-case hex.
        case bytes = 1
        /// None: the index names a subject the backend does not have.
        case missing = 2
    }

    /// Adds the pair of an event, named by the backend's `event` key, and one of its subjects
    /// as the backend stores it: no subject text is made, on either side.
    public mutating func add(event: UnsafeRawBufferPointer, storedSubject: UnsafeRawBufferPointer, form: StoredForm) {
        var hasher = Hasher()
        hasher.combine(Self.key.0)
        hasher.combine(Self.key.1)
        hasher.combine(bytes: event)
        hasher.combine(form.rawValue)
        hasher.combine(bytes: storedSubject)
        count += 1
        sum &+= UInt64(bitPattern: Int64(hasher.finalize()))
    }

    /// ``add(event:storedSubject:form:)`` for a subject's text as a payload holds it: its
    /// bytes when it is lower-case hex (as a backend that keeps such subjects as bytes stores
    /// it), else its text.
    public mutating func add(event: UnsafeRawBufferPointer, subjectText: UnsafeBufferPointer<UInt8>) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, subjectText.count / 2)) { buffer in
            if let n = Hex.decodeLowercase(subjectText, into: buffer) {
                add(event: event, storedSubject: UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[0..<n]), form: .bytes)
            } else {
                add(event: event, storedSubject: UnsafeRawBufferPointer(subjectText), form: .text)
            }
        }
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
