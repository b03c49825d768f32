import Foundation
import PrivacyEvents
import RetentionPolicy

extension AccessReport {
    /// The report as Markdown, to send as it is or to paste into a letter.
    public func markdown(subjectLabel: String) -> String {
        var text = "# Access report (GDPR Art. 15) for \(subjectLabel)\n\n"
        text += "Made on \(day). Stores searched now: \(storesCovered.isEmpty ? "none" : storesCovered.joined(separator: ", ")). "
        text += "Records read from the ledger of \(ledgerHosts.isEmpty ? "no host" : "the hosts " + ledgerHosts.joined(separator: ", ")).\n\n"
        if !notSearched.isEmpty {
            text += "**This report is incomplete.** These places could not be searched:\n\n"
                + notSearched.map { "- \(escapingControls($0))\n" }.joined() + "\n"
        }
        text += "## Data held, by category\n\n"
        text += held.isEmpty ? "No message in the stores searched names you.\n\n" : markdownTable(
            ["Category", "Messages", "Purpose", "Legal basis", "Kept for", "Kept at least until"],
            held.map { [$0.title, $0.countText, $0.purpose, $0.legalBasis, $0.retention, $0.untilText] }) + "\n"
        if !messages.isEmpty {
            text += "## Where each message is\n\nA message found in several places (the mailbox, a copy, backups) is one message:\n\n"
            text += messages.map { "- \($0.category): " + $0.places.map { escapingControls($0) }.joined(separator: "; ") }
                .joined(separator: "\n") + "\n\n"
        }
        text += "## Sources\n\nWhere you appear in the messages held (header field or message text), with the number of messages:\n\n"
        text += sources.isEmpty ? "None.\n\n" : sources.map { "- \($0.0): \($0.1)" }.joined(separator: "\n") + "\n\n"
        if !collections.isEmpty {
            text += "How the messages that name you were collected (recorded on all hosts):\n\n"
            text += collections.map { "- \($0.source): \($0.messages) message(s), \($0.firstDay) to \($0.lastDay)" }
                .joined(separator: "\n") + "\n\n"
        }
        text += "## Recipients\n\n"
        text += recipients.isEmpty ? "No transfer of your data to a recipient is recorded.\n\n" : markdownTable(
            ["Recipient", "Purpose", "Legal basis", "Transfers", "Last"],
            recipients.map { [$0.recipient, $0.purpose, $0.legalBasis, String($0.transfers), $0.lastDay] }) + "\n"
        if !registeredRecipients.isEmpty {
            text += "Recipients that receive data of these categories (the register of processing):\n\n"
            text += markdownTable(
                ["Recipient", "Kind", "Purpose", "Legal basis"],
                registeredRecipients.map { [$0.name, $0.kind.rawValue, $0.purpose, $0.legalBasis.citation] }) + "\n"
        }
        text += "## Recorded retention, all hosts\n\n"
        text += recordedByCategory.isEmpty
            ? "No retention is recorded.\n\n" : recordedByCategory.map { "- \($0.0): \($0.1) message(s)" }.joined(separator: "\n") + "\n\n"
        text += "## Erased, blocked and requested\n\n"
        text += actions.isEmpty ? "Nothing recorded.\n" : markdownTable(
            ["Day", "Host", "What", "Category", "Where", "Blocked until"],
            actions.map { [$0.day, $0.host, $0.whatText, $0.category, escapingControls($0.store), $0.keepUntil ?? ""] })
        return text
    }

    /// The report as a self-contained HTML page.
    public func html(subjectLabel: String) -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        func table(_ head: [String], _ rows: [[String]]) -> String {
            "<table>\n<tr>" + head.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
                + rows.map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n" }.joined() + "</table>\n"
        }
        var body = "<h1>Access report (GDPR Art. 15) for \(esc(subjectLabel))</h1>\n"
        body += "<p>Made on \(day). Stores searched now: \(esc(storesCovered.joined(separator: ", "))). "
        body += "Records read from the ledger of: \(esc(ledgerHosts.joined(separator: ", ")))."
        body += "</p>\n"
        if !notSearched.isEmpty {
            body += "<p><strong>This report is incomplete.</strong> These places could not be searched:</p>\n<ul>\n"
                + notSearched.map { "<li>\(esc($0))</li>\n" }.joined() + "</ul>\n"
        }
        body += "<h2>Data held, by category</h2>\n"
        body += held.isEmpty ? "<p>No message in the stores searched names you.</p>\n" : table(
            ["Category", "Messages", "Purpose", "Legal basis", "Kept for", "Kept at least until"],
            held.map { [$0.title, $0.countText, $0.purpose, $0.legalBasis, $0.retention, $0.untilText] })
        if !messages.isEmpty {
            body += "<h2>Where each message is</h2>\n<ul>\n"
                + messages.map { "<li>\(esc($0.category)): \(esc($0.places.joined(separator: "; ")))</li>\n" }.joined() + "</ul>\n"
        }
        body += "<h2>Sources</h2>\n"
        body += sources.isEmpty ? "<p>None.</p>\n" : "<ul>\n" + sources.map { "<li>\(esc($0.0)): \($0.1)</li>\n" }.joined() + "</ul>\n"
        if !collections.isEmpty {
            body += "<p>How the messages that name you were collected (recorded on all hosts):</p>\n<ul>\n"
                + collections.map { "<li>\(esc($0.source)): \($0.messages) message(s), \($0.firstDay) to \($0.lastDay)</li>\n" }.joined()
                + "</ul>\n"
        }
        body += "<h2>Recipients</h2>\n"
        body += recipients.isEmpty ? "<p>No transfer of your data to a recipient is recorded.</p>\n" : table(
            ["Recipient", "Purpose", "Legal basis", "Transfers", "Last"],
            recipients.map { [$0.recipient, $0.purpose, $0.legalBasis, String($0.transfers), $0.lastDay] })
        if !registeredRecipients.isEmpty {
            body += "<p>Recipients that receive data of these categories (the register of processing):</p>\n"
            body += table(["Recipient", "Kind", "Purpose", "Legal basis"],
                          registeredRecipients.map { [$0.name, $0.kind.rawValue, $0.purpose, $0.legalBasis.citation] })
        }
        body += "<h2>Recorded retention, all hosts</h2>\n"
        body += recordedByCategory.isEmpty ? "<p>No retention is recorded.</p>\n"
            : "<ul>\n" + recordedByCategory.map { "<li>\(esc($0.0)): \($0.1) message(s)</li>\n" }.joined() + "</ul>\n"
        body += "<h2>Erased, blocked and requested</h2>\n"
        body += actions.isEmpty ? "<p>Nothing recorded.</p>\n" : table(
            ["Day", "Host", "What", "Category", "Where", "Blocked until"],
            actions.map { [$0.day, $0.host, $0.whatText, $0.category, $0.store, $0.keepUntil ?? ""] })
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Access report</title>
            <style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;text-align:left}</style>
            </head><body>
            \(body)</body></html>

            """
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

    /// A Markdown table; every cell escaped with ``cell(_:)``.
    private func markdownTable(_ head: [String], _ rows: [[String]]) -> String {
        "| " + head.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: head.count) + "\n"
            + rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |\n" }.joined()
    }

    private func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
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
