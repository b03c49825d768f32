import Foundation
import PrivacyEvents

/// A legal hold: while it is in force, nothing it covers is erased, by `erase` or `expire`
/// (GDPR Art. 17(3)(e): establishment, exercise or defence of legal claims; also open tax
/// assessments). Holds are ledger events of kind ``EventKind/hold``: one to place, one to
/// release.
public struct LegalHold: Sendable, Equatable {
    /// The hold's id (the id of the event that placed it).
    public var id: String
    /// People held: everything that mentions them.
    public var subjects: Set<Pseudonym>
    /// Single messages held, by the keyed hash of their Message-ID
    /// (``PseudonymKey/messageIDHash(for:)``): the ledger never holds a Message-ID itself.
    public var messageIDHashes: Set<String>
    /// Single messages held, by SHA-256.
    public var contentHashes: Set<String>
    /// Whole stores held (absolute paths; everything below them).
    public var stores: [String]
    /// Why, as the operator wrote it (a case number, "tax audit 2024"; no personal data).
    public var reason: String
    /// The last day the hold is in force, or nil until released.
    public var until: CalendarDay?

    /// The hold as one JSON object (`hold --list --json`): id, reason, until, subjects
    /// (pseudonyms), messageIdHashes, sha256 and stores.
    public func json() -> String {
        var line = JSONLine()
        line.add("id", id)
        line.add("reason", reason)
        line.add("until", until?.description)
        line.add("subjects", subjects.map(\.rawValue).sorted())
        line.add("messageIdHashes", messageIDHashes.sorted())
        line.add("sha256", contentHashes.sorted())
        line.add("stores", stores)
        return line.string
    }

    /// Whether the hold covers a message; `messageIDHash` (its Message-ID's keyed hash) is
    /// computed only when the hold names single messages.
    public func covers(
        path: String, messageIDHash: @autoclosure () -> String?, contentHash: String?,
        subjects messageSubjects: Set<Pseudonym>
    ) -> Bool {
        if !subjects.isDisjoint(with: messageSubjects) { return true }
        if !messageIDHashes.isEmpty, let hash = messageIDHash(), messageIDHashes.contains(hash) { return true }
        if let contentHash, contentHashes.contains(contentHash) { return true }
        return stores.contains { path == $0 || path.hasPrefix($0 + "/") || path.hasPrefix($0 + "#") }
    }

    /// The ledger event that places this hold.
    public func event(host: String) -> PrivacyEvent {
        var details = ["action": "place", "reason": reason]
        if !messageIDHashes.isEmpty { details["messageIDHashes"] = messageIDHashes.sorted().joined(separator: " ") }
        if !contentHashes.isEmpty { details["contentHashes"] = contentHashes.sorted().joined(separator: " ") }
        if !stores.isEmpty { details["stores"] = stores.joined(separator: "\n") }
        return PrivacyEvent(
            id: EventID(rawValue: id), host: host, kind: .hold, subjects: Array(subjects), dataCategory: "legal-hold",
            purpose: "Preserve data for the establishment, exercise or defence of legal claims or an open assessment.",
            legalBasis: LegalBasis(.legalObligation, retentionLaw: "GDPR Art. 17(3)(b), (e)"),
            location: DataLocation(store: stores.first ?? "*"), keepUntil: until, legalDuty: true, details: details)
    }

    /// The holds in force on `day`, from the ledger's hold events. `key` hashes the Message-IDs
    /// that holds placed before 2026-12 name in plain text.
    public static func active(in ledger: any Ledger, on day: CalendarDay, key: PseudonymKey) throws -> [LegalHold] {
        var placed: [String: LegalHold] = [:]
        var order: [String] = []
        try ledger.forEachEvent(matching: EventFilter(kinds: [.hold])) { stored in
            let event = stored.event
            switch event.details["action"] {
            case "place":
                let hold = LegalHold(
                    id: event.id.rawValue, subjects: Set(event.subjects),
                    messageIDHashes: Set(
                        (event.details["messageIDHashes"] ?? "").split(separator: " ").map(String.init)
                            + (event.details["messageIDs"] ?? "").split(separator: " ").map { key.messageIDHash(for: String($0)) }),
                    contentHashes: Set((event.details["contentHashes"] ?? "").split(separator: " ").map(String.init)),
                    stores: (event.details["stores"] ?? "").split(separator: "\n").map(String.init),
                    reason: event.details["reason"] ?? "", until: event.keepUntil)
                placed[hold.id] = hold
                order.append(hold.id)
            case "release":
                if let id = event.details["hold"] { placed[id] = nil }
            default:
                break
            }
        }
        return order.compactMap { placed[$0] }.filter { $0.until.map { $0 >= day } ?? true }
    }

    /// The ledger event that releases the hold `id`.
    public static func releaseEvent(id: String, host: String) -> PrivacyEvent {
        PrivacyEvent(
            host: host, kind: .hold, subjects: [], dataCategory: "legal-hold", purpose: "Release of a legal hold.",
            legalBasis: LegalBasis(.legalObligation, retentionLaw: "GDPR Art. 17(3)(b), (e)"),
            location: DataLocation(store: "*"), details: ["action": "release", "hold": id])
    }
}
