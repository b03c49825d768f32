import FileSystem
import PrivacyEvents

/// The content hashes of every message of a container, as a multiset: what a change is checked
/// against (before and after).
public struct ContentSnapshot: Sendable {
    /// How often each content hash occurs.
    public var counts: [String: Int] = [:]
    /// Messages that could not be read (each a reason): a snapshot with any is incomplete.
    public var unreadable: [PrivctlError] = []

    /// The total number of messages read.
    public var total: Int { counts.values.reduce(0, +) }

    public init() {}

    /// Reads every message of `container` (on the calling thread; containers being changed are
    /// small next to a whole store).
    public init(of container: MailContainer, limits: ReadLimits) throws {
        try container.forEachBatch(limits: limits) { batch in
            for message in batch {
                do throws(PrivctlError) {
                    counts[ContentHash.sha256(try message.readBytes(limits: limits)), default: 0] += 1
                } catch {
                    unreadable.append(error)
                }
            }
        }
    }

    /// The checks of a change: every message that was not to be removed is still there, none of
    /// the removed ones is, and nothing could not be read.
    public func compare(
        after: ContentSnapshot, removed: [String], display: String
    ) -> (checks: [String], passed: Bool) {
        var expected = counts
        // Identical copies of a removed message were removed with it.
        for hash in removed { expected[hash] = nil }
        var checks: [String] = []
        var passed = true
        let missing = expected.filter { after.counts[$0.key, default: 0] < $0.value }
        let remaining = Set(removed).filter { after.counts[$0] != nil }
        let expectedTotal = expected.values.reduce(0, +)
        if missing.isEmpty {
            checks.append("\(display): " + (expectedTotal == 0 ? "no other message"
                : expectedTotal == 1 ? "the 1 other message unchanged" : "all \(expectedTotal) other messages unchanged"))
        } else {
            passed = false
            checks.append("\(display): FAILED: \(missing.count) other message\(missing.count == 1 ? "" : "s") changed or missing")
        }
        if remaining.isEmpty {
            checks.append("\(display): none of the \(Set(removed).count) removed messages remains")
        } else {
            passed = false
            checks.append("\(display): FAILED: \(remaining.count) removed messages are still there")
        }
        if !after.unreadable.isEmpty {
            passed = false
            checks.append("\(display): FAILED: \(after.unreadable.count) messages could not be read back")
        }
        let extra = after.total - expectedTotal
        if extra > 0 { checks.append("\(display): \(extra) messages arrived meanwhile (not touched)") }
        return (checks, passed)
    }

    /// The check that a blocked store holds every blocked message.
    public static func checkBlocked(_ blocked: [String], in store: ContentSnapshot, display: String) -> (check: String, passed: Bool) {
        let absent = blocked.filter { store.counts[$0] == nil }
        if absent.isEmpty { return ("\(display): holds all \(blocked.count) blocked messages", true) }
        return ("\(display): FAILED: \(absent.count) blocked messages are not there", false)
    }
}
