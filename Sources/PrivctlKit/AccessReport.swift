import Foundation
import PrivacyEvents
import RetentionPolicy

/// What a data subject is owed under GDPR Art. 15: the categories of data held about them, the
/// purposes and legal bases, the recipients, the retention periods or the criteria for them,
/// the sources, and what was erased or blocked and when.
///
/// Built from two things: a fresh scan of the stores named (``ErasureRun`` in dry-run mode over
/// the subject's address: every message in which they occur now, with its category) and the
/// ledger (everything recorded about the subject's pseudonym on every host: retention,
/// transfers, requests, erasures, blocks). The report names the stores it covered, so nobody
/// mistakes "not found here" for "not held anywhere".
public struct AccessReport: Sendable {
    /// One category of data held now.
    public struct HeldCategory: Sendable {
        public var id: String
        public var title: String
        public var purpose: String
        public var legalBasis: String
        /// The period and its start, or the criterion ("6 years from the end of the year").
        public var retention: String
        /// Messages, each counted once however many copies there are (by content).
        public var messages: Int
        /// Places they were found in: the live store, mbox copies, backups.
        public var copies: Int = 0
        /// The last day a legal duty requires keeping any of them, if one does.
        public var retainUntil: String?
        /// Whether that day is already past on the report's day: the duty has ended and the
        /// messages are due for erasure.
        public var retainUntilPassed = false
    }

    /// One message held, however many copies: its category and every place it is in.
    public struct HeldMessage: Sendable {
        public var category: String
        public var places: [String]
    }

    /// A transfer recorded in the ledger, per recipient.
    public struct Recipient: Sendable {
        public var recipient: String
        public var purpose: String
        public var legalBasis: String
        public var transfers: Int
        public var lastDay: String
    }

    /// How messages naming the subject were collected (Art. 15(1)(g)), from the ledger's collect
    /// events: by source, with the first and last day.
    public struct Collection: Sendable {
        /// "received from you", "received from others", "written by the mailbox owner".
        public var source: String
        public var messages: Int
        public var firstDay: String
        public var lastDay: String
    }

    /// An erasure, block or request recorded in the ledger; identical rows folded into one.
    public struct Action: Sendable, Hashable {
        public var day: String
        public var host: String
        /// `erased`, `blocked`, `erasure requested`, `request carried out`.
        public var action: String
        public var category: String
        public var keepUntil: String?
        /// The store or archive it happened in ("" for a request, which concerns every store).
        public var store: String = ""
        /// How many identical rows this one stands for.
        public var count: Int = 1
    }

    /// The day the report was made.
    public var day: CalendarDay
    /// The paths scanned for this report.
    public var storesCovered: [String]
    /// The hosts whose ledger chains were read.
    public var ledgerHosts: [String]
    /// Data held now, by category (from the scan).
    public var held: [HeldCategory]
    /// Each message held, with its places (from the scan).
    public var messages: [HeldMessage] = []
    /// Where the subject occurs in the messages held, by header or part (`From`, `To`, `body`, …),
    /// with the number of messages: the sources of the data.
    public var sources: [(String, Int)]
    /// Collect events recorded for the subject, by source (Art. 15(1)(g)), on every host.
    public var collections: [Collection] = []
    /// Retain events recorded for the subject, by category: what the ledger knows was held,
    /// on every host (including stores not scanned here).
    public var recordedByCategory: [(String, Int)]
    public var recipients: [Recipient]
    /// Recipients in the policy's register that receive data of a category held about the
    /// subject (Art. 15(1)(c): "recipients or categories of recipients"), whether or not a
    /// transfer is recorded.
    public var registeredRecipients: [PolicyRecipient]
    public var actions: [Action]
    /// Places that could not be searched (a link, a damaged archive, no permission): the
    /// report is incomplete when there are any, and says so.
    public var notSearched: [String] = []

    /// Builds the report from a dry-run receipt of the subject and the ledger's events about
    /// the subject's pseudonyms.
    public static func build(
        scan: ErasureReceipt, paths: [String], subjects: [Pseudonym], ledger: any Ledger, policy: RetentionPolicy,
        day: CalendarDay
    ) throws -> AccessReport {
        let categories = Dictionary(policy.categories.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var held: [String: HeldCategory] = [:]
        var sources: [String: Int] = [:]
        // One message in several places (a Maildir, an mbox copy, backups) counts once.
        var byContent: [String: (category: String, places: [String], foundIn: Set<String>)] = [:]
        var order: [String] = []
        for item in scan.items {
            if byContent[item.sha256] == nil { order.append(item.sha256) }
            var copies = byContent[item.sha256] ?? (item.category, [], [])
            copies.places.append(item.path)
            copies.foundIn.formUnion(item.foundIn)
            byContent[item.sha256] = copies
            let category = categories[item.category]
            var entry = held[item.category] ?? HeldCategory(
                id: item.category, title: category?.title ?? item.category, purpose: category?.purpose ?? "",
                legalBasis: category?.legalBasis.citation ?? item.legalBasis,
                retention: category.map(Self.retention(of:)) ?? "as the policy in effect decides", messages: 0, retainUntil: nil)
            entry.copies += 1
            if let until = item.retainUntil, until > (entry.retainUntil ?? "") {
                entry.retainUntil = until
                entry.retainUntilPassed = until < day.description
            }
            held[item.category] = entry
        }
        for hash in order {
            let message = byContent[hash]!
            held[message.category]?.messages += 1
            for place in message.foundIn { sources[place, default: 0] += 1 }
        }
        let heldMessages = order.map { HeldMessage(category: byContent[$0]!.category, places: byContent[$0]!.places.sorted()) }
            .sorted { ($0.category, $0.places.first ?? "") < ($1.category, $1.places.first ?? "") }

        var recorded: [String: Int] = [:]
        var collections: [String: Collection] = [:]
        var recipients: [String: Recipient] = [:]
        var actions: [Action] = []
        var hosts = Set<String>()
        var seen = Set<String>()
        for subject in subjects {
            try ledger.forEachEvent(matching: EventFilter(subject: subject)) { link in
                let event = link.event
                guard seen.insert(event.id.rawValue).inserted else { return }
                hosts.insert(event.host)
                let when = CalendarDay(event.time).description
                switch event.kind {
                case .retain:
                    recorded[event.dataCategory, default: 0] += 1
                case .transfer:
                    let name = event.recipient ?? "unnamed recipient"
                    var entry = recipients[name] ?? Recipient(
                        recipient: name, purpose: event.purpose, legalBasis: event.legalBasis.citation, transfers: 0,
                        lastDay: when)
                    entry.transfers += 1
                    entry.lastDay = max(entry.lastDay, when)
                    recipients[name] = entry
                case .erase:
                    actions.append(Action(
                        day: when, host: event.host, action: "erased", category: event.dataCategory, keepUntil: nil,
                        store: event.location.store))
                case .block:
                    actions.append(Action(
                        day: when, host: event.host, action: "blocked", category: event.dataCategory,
                        keepUntil: event.keepUntil?.description, store: event.location.store))
                case .request:
                    let done = event.details["action"] == "carried-out"
                    actions.append(Action(
                        day: when, host: event.host,
                        action: done ? "request carried out (\(event.details["result"] ?? "done"))" : "erasure requested",
                        category: "request", keepUntil: nil))
                case .collect:
                    let from = Set((event.details["from"] ?? "").split(separator: " ").map { Pseudonym(rawValue: String($0)) })
                    let source =
                        event.details["source"] == "received"
                        ? (from.isDisjoint(with: subjects) ? "received from others" : "received from you")
                        : event.details["source"] ?? "collected"
                    let collected = event.details["collectedAt"].map { String($0.prefix(10)) } ?? when
                    var entry = collections[source] ?? Collection(source: source, messages: 0, firstDay: collected, lastDay: collected)
                    entry.messages += 1
                    entry.firstDay = min(entry.firstDay, collected)
                    entry.lastDay = max(entry.lastDay, collected)
                    collections[source] = entry
                case .start:
                    let name = (event.details["event"] ?? "event").replacingOccurrences(of: "-", with: " ")
                    actions.append(Action(
                        day: event.details["day"] ?? when, host: event.host, action: "\(name) recorded",
                        category: event.dataCategory, keepUntil: nil))
                case .hold:
                    break
                }
            }
        }
        let heldCategories = Set(held.keys).union(recorded.keys)
        let registered = policy.recipients.filter { recipient in heldCategories.contains { recipient.receives(category: $0) } }
        // A transfer names the register's id; show its name.
        for id in Array(recipients.keys) {
            if let known = policy.recipients.first(where: { $0.id == id }) {
                recipients[id]?.recipient = "\(known.name) (\(known.kind.rawValue))"
            }
        }
        var report = AccessReport(
            day: day, storesCovered: paths, ledgerHosts: hosts.sorted(),
            held: held.values.sorted { $0.messages != $1.messages ? $0.messages > $1.messages : $0.id < $1.id },
            sources: sources.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key },
            recordedByCategory: recorded.sorted { $0.key < $1.key },
            recipients: recipients.values.sorted { $0.recipient < $1.recipient },
            registeredRecipients: registered,
            actions: actions.sorted { ($0.day, $0.host, $0.action) < ($1.day, $1.host, $1.action) })
        report.collections = collections.values.sorted { $0.source < $1.source }
        report.messages = heldMessages
        // Identical rows (ten messages erased from one store on one day) fold into one.
        var folded: [Action] = []
        var index: [Action: Int] = [:]
        for action in report.actions {
            if let at = index[action] {
                folded[at].count += 1
            } else {
                index[action] = folded.count
                folded.append(action)
            }
        }
        report.actions = folded
        return report
    }

    /// "6 years from the end of the year of the message (legal duty)".
    static func retention(of category: RetentionCategory) -> String {
        let start: String
        switch category.start {
        case .messageDate: start = "the message's date"
        case .endOfYear: start = "the end of the calendar year of the message"
        case .event(let name):
            let event = name.replacingOccurrences(of: "-", with: " ")
            start = category.reviewWithoutEvent.map { "the \(event) (until it is recorded: kept, reviewed \($0) after the message's date)" }
                ?? "the \(event) (until it is known, the message's date)"
        }
        var text = category.period == .unlimited ? "no fixed period" : "\(category.period) from \(start)"
        if category.duty { text += " (legal retention duty)" }
        if let backup = category.backupPeriod { text += "; in backups \(backup)" }
        return text
    }
}
