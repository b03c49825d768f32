import Foundation
import MailParsing
import MailStores
import PrivacyEvents
import RetentionPolicy
import SubjectSearch

/// `privctl unblock`: returns blocked messages of a subject to where they were, byte for byte,
/// and records a retain event for each (the restriction is lifted, GDPR Art. 18(3)).
public struct UnblockRun: Sendable {
    public var policy: RetentionPolicy
    public var key: PseudonymKey
    public var host: String
    public var query: SubjectQuery
    public var subjects: [Pseudonym]
    public var day: CalendarDay
    public var dryRun: Bool
    public var lockTimeout: TimeInterval
    public var limits: ReadLimits = .standard
    /// The content hashes privctl's block events recorded, when known: a blocked message whose
    /// bytes are not among them was changed after it was blocked (through another hard link,
    /// say) and is not returned as if it were what was blocked.
    public var blockedContent: Set<String>?

    public init(
        policy: RetentionPolicy, key: PseudonymKey, host: String, query: SubjectQuery, subjects: [Pseudonym],
        day: CalendarDay, dryRun: Bool, lockTimeout: TimeInterval = 30
    ) {
        self.policy = policy
        self.key = key
        self.host = host
        self.query = query
        self.subjects = subjects
        self.day = day
        self.dryRun = dryRun
        self.lockTimeout = lockTimeout
    }

    /// Unblocks the subject's messages in the blocked stores of `containers`.
    public func run(containers: [MailContainer], paths: [String], ledger: (any Ledger)?) throws -> ErasureReceipt {
        let matcher = SubjectMatcher(query)
        let classifier = Classifier(policy: policy)
        var receipt = ErasureReceipt(
            operation: .unblock, requestId: nil, requestTime: EventChain.timestamp(Date()),
            subjects: subjects.map(\.rawValue), day: day.description, dryRun: dryRun, paths: paths, items: [],
            verification: nil, eventIds: [], residue: [])
        var checks: [String] = []
        var passed = true
        for pair in try BlockedStores.pairs(for: containers) {
            let blocked = pair.container
            let liveStore = pair.liveStore
            // Find the subject's messages in the blocked container.
            var found: [(stored: StoredMessage, hash: String, foundIn: [String], classification: Classification, messageID: String?)] = []
            func handle(_ batch: [StoredMessage]) {
                for stored in batch {
                    // What cannot be read or parsed may be hers: said, never passed over.
                    guard let raw = try? stored.readBytes(limits: limits) else {
                        receipt.failed.append("\(stored.displayPath): \(stored.problem?.problem ?? "cannot be read"); not searched")
                        continue
                    }
                    guard let message = try? MailMessage(bytes: stored.parseableBytes(raw)) else {
                        receipt.failed.append("\(stored.displayPath): cannot parse; not searched")
                        continue
                    }
                    let hash = ContentHash.sha256(raw)
                    let foundIn = matcher.evidence(in: message, contentHash: hash)
                    guard !foundIn.isEmpty else { continue }
                    let context = MessageContext(
                        folder: blocked.folder, ownDomains: policy.ownDomains,
                        deliveryDate: stored.deliveredAt ?? Date(timeIntervalSince1970: 0))
                    var light = stored
                    light.bytes = nil
                    found.append((light, hash, foundIn, classifier.classify(message, context: context), message.messageID))
                }
            }
            try blocked.forEachBatch(limits: limits, handle)
            if let blockedContent {
                found.removeAll { entry in
                    guard !blockedContent.contains(entry.hash) else { return false }
                    receipt.failed.append(
                        "\(entry.stored.displayPath): not what privctl blocked (no block event records sha256 \(entry.hash.prefix(12))…: changed since, e.g. through another hard link); left in the blocked store")
                    return true
                }
            }
            guard !found.isEmpty else { continue }

            // Move them back.
            var returned: [UnblockResult] = []
            if !dryRun {
                returned = try blocked.format.unblock(
                    found.map(\.stored), contentHashes: found.map(\.hash), from: pair,
                    options: ChangeOptions(lockTimeout: lockTimeout, limits: limits))
            }

            var events: [PrivacyEvent] = []
            for (i, entry) in found.enumerated() {
                let livePath = i < returned.count ? returned[i].livePath : nil
                var eventID: String?
                if let livePath, ledger != nil {
                    let category = policy.category(entry.classification.category)
                    let event = PrivacyEvent(
                        host: host, kind: .retain, subjects: subjects, dataCategory: entry.classification.category,
                        purpose: category?.purpose ?? "", legalBasis: category?.legalBasis ?? LegalBasis(.legitimateInterests),
                        location: DataLocation(
                            store: liveStore, item: livePath, messageIDHash: entry.messageID.map(key.messageIDHash),
                            contentHash: entry.hash),
                        keepUntil: entry.classification.retainUntil ?? entry.classification.expiresOn?.adding(days: -1),
                        legalDuty: entry.classification.retainUntil != nil,
                        details: ["reason": "restriction lifted (unblocked, GDPR Art. 18(3))", "blockedAt": entry.stored.displayPath])
                    events.append(event)
                    eventID = event.id.rawValue
                }
                receipt.items.append(ErasureReceipt.Item(
                    path: entry.stored.displayPath, action: dryRun ? .wouldUnblock : .unblocked,
                    category: entry.classification.category, retainUntil: entry.classification.retainUntil?.description,
                    reason: "restriction lifted at the operator's decision (GDPR Art. 18(3))",
                    legalBasis: policy.category(entry.classification.category)?.legalBasis.citation ?? "",
                    sha256: entry.hash, foundIn: entry.foundIn, eventId: eventID, blockedAt: livePath))
            }
            if let ledger, !events.isEmpty {
                try ledger.append(events)
                receipt.eventIds += events.map(\.id.rawValue)
            }

            // Verify: each message is back, byte for byte (the format read it back).
            for (i, result) in returned.enumerated() {
                guard let livePath = result.livePath else { continue }
                passed = passed && result.verified
                checks.append("\(livePath): \(result.verified ? "back, byte-identical" : "FAILED: not back as it was") (\(found[i].hash.prefix(12)))")
            }
        }
        if !dryRun { receipt.verification = ErasureReceipt.Verification(passed: passed, checks: checks) }
        return receipt
    }
}
