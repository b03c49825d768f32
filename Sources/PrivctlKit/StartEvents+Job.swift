import FileSystem
import Foundation
import PrivacyEvents

extension StartEvents {
    /// `privctl decide`: records that the event `name` (one a category of the policy starts at,
    /// such as "application-decision") happened on `day` for the people or messages `selection`
    /// names; returns the ledger event. The next classify or expire counts the periods that wait
    /// for it from that day.
    public static func record(
        _ name: String, for selection: SubjectSelection, day: CalendarDay, reference: String?, context: PrivctlContext
    ) throws -> PrivacyEvent {
        let policy = try context.policy()
        let starting = policy.categories.filter { $0.startEvent == name }
        guard let category = starting.first else {
            let known = Set(policy.categories.compactMap(\.startEvent)).sorted()
            throw PrivctlError(
                .invalidInput, path: "",
                problem: "no category of the policy starts at \"\(name)\""
                    + (known.isEmpty ? "; the policy has no period that starts at an event" : "; it knows \(known.joined(separator: ", "))"))
        }
        guard day <= context.day else {
            throw PrivctlError(.invalidInput, path: "", problem: "--day \(day) is after today (\(context.day)); record an event once it happened")
        }
        guard selection.contentHashes.isEmpty else {
            throw PrivctlError(.invalidInput, path: "", problem: "an event concerns people or messages by Message-ID; --sha256 names a copy")
        }
        if let reference { try ErasureRequests.checkReference(reference) }
        let key = try context.key()
        let ledger = try context.ledger().ledger
        let messages = selection.messageIDs.map(key.messageIDHash).sorted()
        var details = ["event": name, "day": day.description]
        if let reference { details["reference"] = reference }
        if messages.count > 1 { details["messageIDHashes"] = messages.joined(separator: " ") }
        let event = PrivacyEvent(
            host: context.host, kind: .start, subjects: selection.pseudonyms(key), dataCategory: category.id,
            purpose: category.purpose, legalBasis: category.legalBasis,
            location: DataLocation(store: "*", messageIDHash: messages.count == 1 ? messages[0] : nil),
            details: details)
        try ledger.append([event])
        return event
    }

    /// `decide`'s line for the event ``record(_:for:day:reference:context:)`` returned: "recorded
    /// NAME on DAY (event ID)", or JSON with the keys event, day and id.
    public static func text(of event: PrivacyEvent, json: Bool) -> String {
        let name = event.details["event"] ?? "", day = event.details["day"] ?? ""
        guard json else { return "recorded \(name) on \(day) (event \(event.id))" }
        var line = JSONLine()
        line.add("event", name)
        line.add("day", day)
        line.add("id", event.id.rawValue)
        return line.string
    }
}
