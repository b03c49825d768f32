import PrivacyEvents

/// What the ledger says scrub must still apply: the people with an erasure request on record,
/// and the backup copies already recorded as blocked.
public enum PendingRequests {
    /// Pseudonyms of everyone with an erasure request (GDPR Art. 17) on record. Requests stay
    /// pending for backups: an archive restored or scrubbed later must not bring data back.
    public static func erasureSubjects(in ledger: any Ledger) throws -> Set<Pseudonym> {
        var subjects = Set<Pseudonym>()
        try ledger.forEachEvent(matching: EventFilter(kinds: [.request])) { stored in
            guard stored.event.details["type"]?.hasPrefix("erasure") == true else { return }
            subjects.formUnion(stored.event.subjects)
        }
        return subjects
    }

    /// Keys (archive|item|sha256) of block events on record, so a nightly scrub records each
    /// blocked backup copy once.
    public static func recordedBlocks(in ledger: any Ledger) throws -> Set<String> {
        var keys = Set<String>()
        try ledger.forEachEvent(matching: EventFilter(kinds: [.block])) { stored in
            let location = stored.event.location
            guard let item = location.item, let hash = location.contentHash else { return }
            keys.insert(ErasureRun.blockKey(location.store, item, hash))
        }
        return keys
    }
}
