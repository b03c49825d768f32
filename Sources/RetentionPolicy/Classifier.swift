import Foundation
import MailParsing
import PrivacyEvents

/// Puts messages into the retention categories of a policy and computes their retention dates.
///
/// Rules are tried in policy order and the first that matches decides; a message no rule
/// matches goes to the policy's fallback category with the rule id "fallback". What a rule
/// looks at is computed once per message and only when a rule asks for it, so the body is
/// decoded only for messages that reach a rule with a `body` condition. A classifier holds no
/// mutable state and may be shared by any number of concurrent tasks.
///
/// The message day is the day of the Date header in its own zone offset, or the delivery day
/// when the header is missing, implausible or later than the delivery (see the explanation
/// lines of each ``Classification``).
public struct Classifier: Sendable {
    /// The policy whose rules and categories are applied.
    public let policy: RetentionPolicy

    /// The policy's own domains as bytes and its private mail domains as a set, made once.
    private let ownDomains: [[UInt8]]
    private let privateMailDomains: Set<String>

    /// A classifier for a policy.
    public init(policy: RetentionPolicy) {
        self.policy = policy
        self.ownDomains = policy.ownDomains.map { Array($0.utf8) }
        self.privateMailDomains = Set(policy.privateMailDomains)
    }

    /// Classifies one parsed message.
    public func classify(_ message: MailMessage, context: MessageContext) -> Classification {
        let facts = MessageFacts(
            message: message, context: context, ownDomains: ownDomains, privateMailDomains: privateMailDomains)
        let day = MessageDay(message: message, context: context)
        for rule in policy.rules where matches(rule, facts) {
            var lines = ["rule \"\(rule.id)\"\(rule.line.map { " (policy line \($0))" } ?? ""): \(rule.why)"]
            lines += evidence(for: rule, facts).map { "rule \"\(rule.id)\": \($0)" }
            return classification(category: rule.category, rule: rule.id, lines: lines, day: day, context: context)
        }
        let lines = ["no rule matched: fallback category \"\(policy.fallbackCategory)\""]
        return classification(
            category: policy.fallbackCategory, rule: Classification.fallbackRule, lines: lines, day: day,
            context: context)
    }

    /// Classifies a message whose bytes could not be parsed: the fallback category, counted
    /// from the delivery day, so that a person reviews it.
    public func classifyUnreadable(context: MessageContext, reason: String) -> Classification {
        let day = MessageDay(delivery: context.deliveryDate, reason: "unreadable message")
        let lines = ["the message could not be read (\(reason)): fallback category \"\(policy.fallbackCategory)\""]
        return classification(
            category: policy.fallbackCategory, rule: Classification.fallbackRule, lines: lines, day: day,
            context: context)
    }

    private func classification(
        category id: String, rule: String, lines: [String], day: MessageDay, context: MessageContext
    ) -> Classification {
        // The policy's initializer guarantees that every rule's category and the fallback exist.
        let category = policy.category(id)!
        let schedule = RetentionSchedule(category: category, messageDay: day.day, eventDays: context.eventDays)
        var explanation = lines
        explanation.append("message day \(day.day) (\(day.source))")
        explanation.append(
            Classifier.describe(schedule, of: category, messageDay: day.day, eventDays: context.eventDays))
        return Classification(
            category: id, rule: rule, explanation: explanation, messageDay: day.day, schedule: schedule)
    }

    /// "accounting-document: 8 years from the end of 2019 (AO …): keep until 2027-12-31, erase from 2028-01-01".
    static func describe(
        _ schedule: RetentionSchedule, of category: RetentionCategory, messageDay: CalendarDay,
        eventDays: [String: CalendarDay]
    ) -> String {
        let from: String
        switch category.start {
        case .messageDate: from = "from the message day"
        case .endOfYear: from = "from the end of \(messageDay.year)"
        case .event(let name):
            from =
                eventDays[name] != nil
                ? "from \(name) on \(schedule.periodStart)" : "from the message day (\(name) not yet known)"
        }
        var text = "category \"\(category.id)\": \(category.period) \(from)"
        if let retainUntil = schedule.retainUntil {
            text += ", keep until \(retainUntil) (\(category.legalBasis.citation))"
        }
        if let expiresOn = schedule.expiresOn {
            text += ", \(category.atEnd.rawValue) from \(expiresOn)"
        } else {
            text += ", no end set"
        }
        return text
    }

    // MARK: Matching

    private func matches(_ rule: RetentionRule, _ facts: MessageFacts) -> Bool {
        for condition in rule.all where test(condition, facts, explain: false) == nil { return false }
        if !rule.any.isEmpty, !rule.any.contains(where: { test($0, facts, explain: false) != nil }) { return false }
        for condition in rule.none where test(condition, facts, explain: false) != nil { return false }
        return true
    }

    private func evidence(for rule: RetentionRule, _ facts: MessageFacts) -> [String] {
        var lines = rule.all.compactMap { test($0, facts, explain: true) }
        if let found = rule.any.lazy.compactMap({ self.test($0, facts, explain: true) }).first { lines.append(found) }
        if !rule.none.isEmpty {
            lines.append(
                rule.none.count == 1
                    ? "its exception does not apply" : "none of its \(rule.none.count) exceptions applies")
        }
        return lines
    }

    /// nil when the condition does not hold; otherwise the evidence ("" unless `explain`).
    private func test(_ condition: RuleCondition, _ facts: MessageFacts, explain: Bool) -> String? {
        switch condition {
        case .header(let name, let headerTest):
            guard facts.headerNames.contains(name.lowercased()) else { return nil }
            return testHeader(name, headerTest, facts.message, explain: explain)
        case .from(let patterns):
            return testAddresses(facts.senders, patterns, field: "from", explain: explain)
        case .to(let patterns):
            return testAddresses(facts.recipients, patterns, field: "to", explain: explain)
        case .subject(let words):
            guard let match = words.firstMatch(inFolded: facts.foldedSubject) else { return nil }
            return explain ? "subject \"\(facts.subject)\" matches \"\(match.pattern)\"" : ""
        case .body(let words):
            guard let match = words.firstMatch(inFolded: facts.foldedBody) else { return nil }
            return explain
                ? "body text \"\(Classifier.snippet(facts.foldedBody, match.range))\" matches \"\(match.pattern)\"" : ""
        case .attachmentName(let words):
            for attachment in facts.attachments {
                if let match = words.firstMatch(inFolded: attachment.folded) {
                    return explain ? "attachment \"\(attachment.name)\" matches \"\(match.pattern)\"" : ""
                }
            }
            return nil
        case .attachmentType(let patterns):
            for type in facts.mediaTypes {
                let bytes = Array(type.utf8)
                if let pattern = patterns.first(where: { $0.matches(lowercased: bytes) }) {
                    return explain ? "a MIME part of type \"\(type)\" matches \"\(pattern)\"" : ""
                }
            }
            return nil
        case .folder(let patterns):
            let names = facts.folderNames
            for pattern in patterns {
                let hit =
                    pattern.description.contains(".")
                    ? pattern.matches(lowercased: names.full)
                    : names.levels.contains { pattern.matches(lowercased: $0) }
                if hit {
                    return explain
                        ? "folder \"\(MessageContext.decodedFolderName(facts.context.folder))\" matches \"\(pattern)\""
                        : ""
                }
            }
            return nil
        case .sent(let expected):
            guard facts.context.isSent == expected else { return nil }
            return explain
                ? (expected ? "folder \"\(facts.context.folder)\" holds sent mail" : "not in a sent folder") : ""
        case .reply(let expected):
            let marker = facts.replyMarker
            guard (marker != nil) == expected else { return nil }
            return explain ? (marker.map { "a reply: \($0)" } ?? "not a reply") : ""
        case .counterpart(let kind):
            for address in facts.counterparts {
                let isMatch: Bool
                switch kind {
                case .business:
                    isMatch = address.domain != nil && !facts.isOwn(address) && !facts.isPrivate(address)
                case .private:
                    isMatch = facts.isPrivate(address)
                case .internal:
                    isMatch = facts.isOwn(address)
                }
                if isMatch {
                    guard explain else { return "" }
                    let role = facts.isFromUs ? "recipient" : "sender"
                    switch kind {
                    case .business:
                        return "\(role) \"\(address.text)\" is a business (neither an own nor a private-mail domain)"
                    case .private: return "\(role) \"\(address.text)\" uses a private mail provider"
                    case .internal: return "\(role) \"\(address.text)\" is at an own domain"
                    }
                }
            }
            return nil
        }
    }

    private func testHeader(_ name: String, _ headerTest: HeaderTest, _ message: MailMessage, explain: Bool) -> String?
    {
        if case .present = headerTest {
            guard message.header.contains(name) else { return nil }
            return explain ? "header \(name) is present" : ""
        }
        for field in message.header.all(name) {
            let raw = field.unfoldedValue
            let value = raw.lowercased()
            let head =
                value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let hit: String?
            switch headerTest {
            case .present: hit = ""
            case .isOneOf(let values): hit = values.first { $0 == head }
            case .isNoneOf(let values): hit = values.contains(head) ? nil : head
            case .startsWith(let values): hit = values.first { value.hasPrefix($0) }
            case .contains(let values): hit = values.first { value.contains($0) }
            }
            if hit != nil { return explain ? "header \(name): \"\(raw)\" \(headerTest)" : "" }
        }
        return nil
    }

    private func testAddresses(
        _ addresses: [MailboxAddress], _ patterns: [AddressPattern], field: String, explain: Bool
    ) -> String? {
        for address in addresses {
            if let pattern = patterns.first(where: { $0.matches(address) }) {
                return explain ? "\(field) \"\(address.text)\" matches \"\(pattern)\"" : ""
            }
        }
        return nil
    }

    /// The matched words with a little context, on one line, for explanations.
    static func snippet(_ text: [UInt8], _ range: Range<Int>) -> String {
        var start = max(0, range.lowerBound - 30)
        var end = min(text.count, range.upperBound + 30)
        while start > 0, text[start] & 0xC0 == 0x80 { start -= 1 }
        while end < text.count, text[end] & 0xC0 == 0x80 { end += 1 }
        let words = String(decoding: text[start..<end], as: UTF8.self).split(whereSeparator: \.isWhitespace)
        return (start > 0 ? "…" : "") + words.joined(separator: " ") + (end < text.count ? "…" : "")
    }
}
