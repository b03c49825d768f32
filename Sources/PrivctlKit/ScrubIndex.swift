import FileSystem
import Foundation
import MailStores
import PrivacyEvents
import RetentionPolicy
import SQLiteLedger

/// How `privctl scrub` uses the archive scrub index (``ArchiveScrubIndex``): an archive is read
/// only when it is new or changed, when what decides the scrub changed (the policy, a hold, a
/// recorded decision, `--log-days`, the key), when a new erasure request names someone it may
/// hold (its ``PseudonymFilter`` of everyone it names), or when something in it has become
/// due; otherwise its state from the scrub that last read it stands.
///
/// An archive counts as unchanged only when its device, inode, size, modification time and
/// status-change time are those recorded; the status-change time moves with every write and no
/// program can set it back. A state is recorded only for an archive the scrub read whole, in a
/// run without failures: left as it was (with the identity it had before the read), or
/// rewritten and verified by privctl (with the identity of the file it committed, taken from its
/// own descriptor after the rename, so that a file put in its place later is read again).
struct ScrubIndex {
    let index: ArchiveScrubIndex
    /// The fingerprint of what decided this scrub, but the requests.
    let conditions: String
    /// The pending erasure requests (pseudonyms), and their fingerprint.
    let pending: Set<Pseudonym>
    let requests: String
    let day: CalendarDay
    let logDays: Int

    /// Bump when what the scrub decides from the same inputs changes (a new kind of due day).
    static let version = "scrub-index-1"

    init(
        index: ArchiveScrubIndex, policy: RetentionPolicy, key: PseudonymKey, logDays: Int,
        pending: Set<Pseudonym>, holds: [LegalHold], startEvents: StartEvents, day: CalendarDay
    ) {
        var parts = [Self.version, policy.fingerprint, key.fingerprint, "log-days \(logDays)", "start \(startEvents.fingerprint)"]
        parts.append("holds " + holds.map { "\($0.id)@\($0.until?.description ?? "-")" }.sorted().joined(separator: ","))
        self.index = index
        self.conditions = ContentHash.sha256(Array(parts.joined(separator: "\n").utf8))
        self.pending = pending
        self.requests = ContentHash.sha256(Array(pending.map(\.rawValue).sorted().joined(separator: ",").utf8))
        self.day = day
        self.logDays = logDays
    }

    /// The file's identity as the index records it, nil when it is no longer a regular file.
    static func identity(of path: String) throws -> String? {
        guard let info = try FileSystem.info(atPath: path), info.kind == .regular else { return nil }
        return identity(of: info)
    }

    /// The identity of a file as `fstat` or `lstat` describes it.
    static func identity(of info: FileInfo) -> String {
        "\(info.device):\(info.inode):\(info.size):\(info.modifiedSeconds).\(info.modifiedNanoseconds)"
            + ":\(info.changedSeconds).\(info.changedNanoseconds)"
    }

    /// The archives' identities now, before any is read: a state records the identity the
    /// archive had before the scrub read it, so that a change made while it was read is seen
    /// the next night.
    static func identities(of archives: [MailContainer]) throws -> [String: String] {
        var identities: [String: String] = [:]
        for archive in archives { identities[archive.path] = try identity(of: archive.path) }
        return identities
    }

    /// The archives to read, and those whose recorded state stands (unchanged, nothing due, no
    /// pending request for anyone they may name), and of those the states checked against new
    /// requests this way, with the new requests' fingerprint, to be recorded.
    func partition(_ archives: [MailContainer], identities: [String: String]) throws
        -> (read: [MailContainer], unchanged: [ArchiveState], rechecked: [ArchiveState])
    {
        let states = try index.lookup(archives.map(\.path))
        var read: [MailContainer] = []
        var unchanged: [ArchiveState] = []
        var rechecked: [ArchiveState] = []
        for archive in archives {
            guard var state = states[archive.path], state.conditions == conditions, state.nextDue.map({ $0 > day }) ?? true,
                let identity = identities[archive.path], identity == state.identity
            else {
                read.append(archive)
                continue
            }
            if state.requests != requests {
                // New requests: read it only when it may name one of their people.
                guard let named = state.named, !pending.contains(where: named.mayContain) else {
                    read.append(archive)
                    continue
                }
                state.requests = requests
                rechecked.append(state)
            }
            unchanged.append(state)
        }
        return (read, unchanged, rechecked)
    }

    /// The state of an archive read whole and left unchanged, with the identity it had before
    /// it was read: its messages' next due day, or the day its server logs pass their days in
    /// backups if that comes first.
    func state(of archive: MailContainer, identity: String?, nextDue messagesDue: CalendarDay?, named: Set<Pseudonym>)
        -> ArchiveState?
    {
        guard let identity else { return nil }
        var nextDue = messagesDue
        if let backupDay = archive.format.backupDay(of: archive) {
            let logsDue = backupDay.adding(days: logDays + 1)
            if logsDue > day, nextDue.map({ logsDue < $0 }) ?? true { nextDue = logsDue }
        }
        return ArchiveState(
            path: archive.path, identity: identity, conditions: conditions, requests: requests, named: PseudonymFilter(named),
            nextDue: nextDue, readOn: day)
    }
}
