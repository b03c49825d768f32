import Foundation
import PrivacyEvents
import RetentionPolicy

extension AccessReport {
    /// The report's layout, the same in every rendering: what the person is told, in order.
    func blocks(subjectLabel: String) -> [ReportBlock] {
        var blocks: [ReportBlock] = [
            .title("Access report (GDPR Art. 15) for \(subjectLabel)"),
            .paragraph(
                "Made on \(day). Stores searched now: \(storesCovered.isEmpty ? "none" : storesCovered.joined(separator: ", ")). "
                    + "Records read from the ledger of \(ledgerHosts.isEmpty ? "no host" : "the hosts " + ledgerHosts.joined(separator: ", ")).")
        ]
        if !notSearched.isEmpty {
            blocks += [.warning("This report is incomplete.", "These places could not be searched:"), .list(notSearched.map(escapingControls))]
        }
        blocks.append(.heading("Data held, by category"))
        blocks.append(held.isEmpty ? .paragraph("No message in the stores searched names you.") : .table(
            ["Category", "Messages", "Purpose", "Legal basis", "Kept for", "Kept at least until"],
            held.map { [$0.title, $0.countText, $0.purpose, $0.legalBasis, $0.retention, $0.untilText] }))
        if !messages.isEmpty {
            blocks += [
                .heading("Where each message is"),
                .paragraph("A message found in several places (the mailbox, a copy, backups) is one message:"),
                .list(messages.map { "\($0.category): " + $0.places.map(escapingControls).joined(separator: "; ") }),
            ]
        }
        blocks += [
            .heading("Sources"),
            .paragraph("Where you appear in the messages held (header field or message text), with the number of messages:"),
            sources.isEmpty ? .paragraph("None.") : .list(sources.map { "\($0.0): \($0.1)" }),
        ]
        if !collections.isEmpty {
            blocks += [
                .paragraph("How the messages that name you were collected (recorded on all hosts):"),
                .list(collections.map { "\($0.source): \($0.messages) message(s), \($0.firstDay) to \($0.lastDay)" }),
            ]
        }
        blocks.append(.heading("Recipients"))
        blocks.append(recipients.isEmpty ? .paragraph("No transfer of your data to a recipient is recorded.") : .table(
            ["Recipient", "Purpose", "Legal basis", "Transfers", "Last"],
            recipients.map { [$0.recipient, $0.purpose, $0.legalBasis, String($0.transfers), $0.lastDay] }))
        if !registeredRecipients.isEmpty {
            blocks += [
                .paragraph("Recipients that receive data of these categories (the register of processing):"),
                .table(
                    ["Recipient", "Kind", "Purpose", "Legal basis"],
                    registeredRecipients.map { [$0.name, $0.kind.rawValue, $0.purpose, $0.legalBasis.citation] }),
            ]
        }
        blocks.append(.heading("Recorded retention, all hosts"))
        blocks.append(recordedByCategory.isEmpty ? .paragraph("No retention is recorded.") : .list(recordedByCategory.map { "\($0.0): \($0.1) message(s)" }))
        blocks.append(.heading("Erased, blocked and requested"))
        blocks.append(actions.isEmpty ? .paragraph("Nothing recorded.") : .table(
            ["Day", "Host", "What", "Category", "Where", "Blocked until"],
            actions.map { [$0.day, $0.host, $0.whatText, $0.category, escapingControls($0.store), $0.keepUntil ?? ""] }))
        return blocks
    }

    /// The report as Markdown, to send as it is or to paste into a letter.
    public func markdown(subjectLabel: String) -> String {
        ReportBlock.markdown(blocks(subjectLabel: subjectLabel))
    }

    /// The report as a self-contained HTML page.
    public func html(subjectLabel: String) -> String {
        ReportBlock.html(blocks(subjectLabel: subjectLabel), title: "Access report")
    }

    /// The report as one JSON object.
    public func json(subjectLabel: String) -> String {
        func q(_ s: String?) -> String { s.map(JSONText.quote) ?? "null" }
        let heldJSON = held.map {
            "{\"category\":\(q($0.id)),\"title\":\(q($0.title)),\"messages\":\($0.messages),\"copies\":\($0.copies),\"purpose\":\(q($0.purpose)),\"legalBasis\":\(q($0.legalBasis)),\"retention\":\(q($0.retention)),\"retainUntil\":\(q($0.retainUntil)),\"retainUntilPassed\":\($0.retainUntilPassed)}"
        }
        let recipientsJSON = recipients.map {
            "{\"recipient\":\(q($0.recipient)),\"purpose\":\(q($0.purpose)),\"legalBasis\":\(q($0.legalBasis)),\"transfers\":\($0.transfers),\"last\":\(q($0.lastDay))}"
        }
        let actionsJSON = actions.map {
            "{\"day\":\(q($0.day)),\"host\":\(q($0.host)),\"action\":\(q($0.action)),\"count\":\($0.count),\"category\":\(q($0.category)),\"store\":\(q($0.store)),\"keepUntil\":\(q($0.keepUntil))}"
        }
        return "{\"subject\":\(q(subjectLabel)),\"day\":\(q(day.description)),"
            + "\"storesCovered\":[\(storesCovered.map(q).joined(separator: ","))],"
            + "\"notSearched\":[\(notSearched.map(q).joined(separator: ","))],"
            + "\"ledgerHosts\":[\(ledgerHosts.map(q).joined(separator: ","))],"
            + "\"held\":[\(heldJSON.joined(separator: ","))],"
            + "\"messages\":[\(messages.map { "{\"category\":\(q($0.category)),\"places\":[\($0.places.map(q).joined(separator: ","))]}" }.joined(separator: ","))],"
            + "\"sources\":{\(sources.map { "\(q($0.0)):\($0.1)" }.joined(separator: ","))},"
            + "\"collected\":[\(collections.map { "{\"source\":\(q($0.source)),\"messages\":\($0.messages),\"first\":\(q($0.firstDay)),\"last\":\(q($0.lastDay))}" }.joined(separator: ","))],"
            + "\"recordedRetention\":{\(recordedByCategory.map { "\(q($0.0)):\($0.1)" }.joined(separator: ","))},"
            + "\"recipients\":[\(recipientsJSON.joined(separator: ","))],"
            + "\"registeredRecipients\":[\(registeredRecipients.map { "{\"id\":\(q($0.id)),\"name\":\(q($0.name)),\"kind\":\(q($0.kind.rawValue)),\"purpose\":\(q($0.purpose)),\"legalBasis\":\(q($0.legalBasis.citation))}" }.joined(separator: ","))],"
            + "\"actions\":[\(actionsJSON.joined(separator: ","))]}"
    }
}

extension AccessReport.HeldCategory {
    /// "3", or "3 (5 copies)" when the messages are in more places than one each.
    var countText: String { copies > messages ? "\(messages) (\(copies) copies)" : String(messages) }
    /// The last day of the duty, marked when it is past; "no legal duty" without one.
    var untilText: String {
        guard let retainUntil else { return "no legal duty" }
        return retainUntilPassed ? "\(retainUntil) (ended: due for erasure)" : retainUntil
    }
}

extension AccessReport.Action {
    /// What happened, with the number of identical rows it stands for.
    var whatText: String { count > 1 ? "\(action) (×\(count))" : action }
}
