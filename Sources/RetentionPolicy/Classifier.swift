import Foundation
import MailParsing
import PrivacyEvents

/// Puts messages into the retention categories of a policy and computes their retention dates.
///
/// Every rule is evaluated, and when several match, their strengths and the categories' legal
/// duties decide (see ``RuleStrength``: a decisive rule wins, else the longest legal duty among
/// the normal rules, else the first normal rule, else the first weak one); a message no rule
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
    public var policy: RetentionPolicy { compiled.policy }

    /// The policy's rules and categories as tables (see ``CompiledPolicy``), made once.
    private let compiled: CompiledPolicy

    /// A classifier for a policy.
    public init(policy: RetentionPolicy) {
        self.compiled = CompiledPolicy(policy)
    }

    /// Classifies one parsed message.
    ///
    /// - Parameter explaining: evaluate every rule, so that the explanation lists each rule
    ///   that matched besides the winner and why the winner won (`--explain`). Without it,
    ///   rules that cannot change the outcome are not evaluated; the category and dates are
    ///   the same either way.
    public func classify(_ message: MailMessage, context given: MessageContext, explaining: Bool = false) -> Classification {
        let facts = MessageFacts(message: message, context: given, policy: compiled)
        let day = MessageDay(date: facts.date, dateField: facts.first(compiled.dateSlot)?.rawValue, context: given)
        var context = given
        context.eventDays = given.eventDays(forMessageDay: day.day)
        var decision = RuleDecision(recordingMatches: explaining)
        // Per category, worked out once and only for the rules that need it.
        var dutyEnds = DutyEndCache()
        func end(of rule: CompiledPolicy.Rule) -> RuleDecision.DutyEnd? {
            guard compiled.categories[rule.category].category.duty else { return nil }
            if let known = dutyEnds[rule.category] { return known }
            let computed = dutyEnd(rule, day, context)
            dutyEnds[rule.category] = computed
            return computed
        }
        for (index, rule) in compiled.rules.enumerated() {
            guard explaining || decision.couldChange(with: rule, dutyEnd: { end(of: rule) })
            else {
                if decision.isFinal { break }
                continue
            }
            guard matches(rule, facts) else { continue }
            decision.add(index, rule, dutyEnd: end(of: rule))
            if decision.isFinal && !explaining { break }
        }
        guard let winnerIndex = decision.winner else {
            var lines = ["no rule matched: fallback category \"\(policy.fallbackCategory)\""]
            if explaining { lines += decision.otherLines(compiled.rules, categories: compiled.categories) }
            return classification(
                category: compiled.fallbackCategory, rule: Classification.fallbackRule, lines: lines, day: day,
                context: context)
        }
        let rule = compiled.rules[winnerIndex]
        var lines = [rule.titleLine]
        for condition in rule.rule.all {
            if let found = evidence(condition, facts) { lines.append(rule.evidencePrefix + found) }
        }
        if let index = rule.anyChecks.firstIndex(where: { holds($0, facts) }),
            let found = evidence(rule.rule.any[index], facts)
        {
            lines.append(rule.evidencePrefix + found)
        }
        if let exceptionLine = rule.exceptionLine { lines.append(exceptionLine) }
        if explaining { lines += decision.otherLines(compiled.rules, categories: compiled.categories) }
        return classification(category: rule.category, rule: rule.rule.id, lines: lines, day: day, context: context)
    }

    /// When the duty of a rule's category ends for this message, or nil when it carries none.
    private func dutyEnd(_ rule: CompiledPolicy.Rule, _ day: MessageDay, _ context: MessageContext)
        -> RuleDecision.DutyEnd?
    {
        let category = compiled.categories[rule.category].category
        guard category.duty else { return nil }
        let schedule = RetentionSchedule(category: category, messageDay: day.day, eventDays: context.eventDays)
        return schedule.retainUntil.map(RuleDecision.DutyEnd.day) ?? .unlimited
    }

    /// Classifies a message whose bytes could not be parsed: the fallback category, counted
    /// from the delivery day, so that a person reviews it.
    public func classifyUnreadable(context: MessageContext, reason: String) -> Classification {
        let day = MessageDay(delivery: context.deliveryDate, reason: "unreadable message")
        let lines = ["the message could not be read (\(reason)): fallback category \"\(policy.fallbackCategory)\""]
        return classification(
            category: compiled.fallbackCategory, rule: Classification.fallbackRule, lines: lines, day: day,
            context: context)
    }

    private func classification(
        category index: Int, rule: String, lines: [String], day: MessageDay, context: MessageContext
    ) -> Classification {
        let category = compiled.categories[index]
        let schedule = RetentionSchedule(
            category: category.category, messageDay: day.day, eventDays: context.eventDays)
        var explanation = lines
        explanation.reserveCapacity(lines.count + 2)
        var dayLine = "message day "
        dayLine += Classifier.dayText(day.day)
        dayLine += " ("
        dayLine += day.source
        dayLine += ")"
        explanation.append(dayLine)
        explanation.append(
            Classifier.describe(schedule, of: category, messageDay: day.day, eventDays: context.eventDays))
        return Classification(
            category: category.category.id, rule: rule, explanation: explanation, messageDay: day.day,
            schedule: schedule)
    }

    /// `YYYY-MM-DD`, as `CalendarDay.description` writes it.
    static func dayText(_ day: CalendarDay) -> String {
        guard (0...9999).contains(day.year), (1...12).contains(day.month), (1...31).contains(day.day) else {
            return day.description
        }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            let (year, month, dayOfMonth) = (day.year, day.month, day.day)
            buffer[0] = UInt8(0x30 + year / 1000)
            buffer[1] = UInt8(0x30 + year / 100 % 10)
            buffer[2] = UInt8(0x30 + year / 10 % 10)
            buffer[3] = UInt8(0x30 + year % 10)
            buffer[4] = UInt8(ascii: "-")
            buffer[5] = UInt8(0x30 + month / 10)
            buffer[6] = UInt8(0x30 + month % 10)
            buffer[7] = UInt8(ascii: "-")
            buffer[8] = UInt8(0x30 + dayOfMonth / 10)
            buffer[9] = UInt8(0x30 + dayOfMonth % 10)
            return 10
        }
    }

    /// The explanation line of the dates, from the category's parts written once.
    private static func describe(
        _ schedule: RetentionSchedule, of category: CompiledPolicy.Category, messageDay: CalendarDay,
        eventDays: [String: CalendarDay]
    ) -> String {
        var text = category.prefix
        switch category.category.start {
        case .messageDate: text += "from the message day"
        case .endOfYear:
            text += "from the end of "
            text += String(messageDay.year)
        case .event(let name):
            text +=
                eventDays[name] != nil
                ? "from \(name) on \(schedule.periodStart)" : "from the message day (\(name) not yet known)"
        }
        if let retainUntil = schedule.retainUntil {
            text += ", keep until "
            text += dayText(retainUntil)
            text += category.keepSuffix
        }
        if let awaiting = schedule.awaitingEvent, let expiresOn = schedule.expiresOn {
            // Kept until the event is on record (`privctl decide`); then the period runs from it.
            text = category.prefix + "from \(awaiting), which is not on record: kept, review from " + dayText(expiresOn)
        } else if let expiresOn = schedule.expiresOn {
            text += category.endPrefix
            text += dayText(expiresOn)
        } else {
            text += ", no end set"
        }
        return text
    }

    // MARK: Matching

    private func matches(_ rule: CompiledPolicy.Rule, _ facts: MessageFacts) -> Bool {
        for step in rule.steps {
            switch step {
            case .require(let check): if !holds(check, facts) { return false }
            case .reject(let check): if holds(check, facts) { return false }
            case .anyOf(let checks): if !checks.contains(where: { holds($0, facts) }) { return false }
            }
        }
        return true
    }

    /// Whether a condition holds, from the tables and the facts computed once per message.
    private func holds(_ check: CompiledPolicy.Check, _ facts: MessageFacts) -> Bool {
        switch check {
        case .header(let slot, let index):
            guard facts.has(slot) else { return false }
            let test = compiled.headerTests[index]
            return test.kind == .present || headerHolds(slot, test, facts)
        case .from(let index):
            let patterns = compiled.addressPatterns[index]
            return facts.senders.contains { address in patterns.contains { $0.matches(address) } }
        case .to(let index):
            let patterns = compiled.addressPatterns[index]
            return facts.recipients.contains { address in patterns.contains { $0.matches(address) } }
        case .subject(let list):
            return facts.subjectMatches.contains(list)
        case .body(let list):
            return facts.bodyMatches.contains(list)
        case .ownText(let list):
            return facts.ownTextMatches.contains(list)
        case .attachmentName(let list):
            return facts.attachmentMatches.contains { $0.contains(list) }
        case .attachmentType(let index):
            let patterns = compiled.mediaTypePatterns[index]
            return facts.mediaTypeBytes.contains { type in patterns.contains { $0.matches(lowercased: type) } }
        case .folder(let index):
            return facts.folder.holds[index]
        case .sent(let expected):
            return facts.context.isSent == expected
        case .reply(let expected):
            return facts.isReply == expected
        case .counterpart(let kind):
            for address in facts.counterparts {
                switch kind {
                case .business:
                    if address.domain != nil, !facts.isOwn(address), !facts.isPrivate(address) { return true }
                case .private:
                    if facts.isPrivate(address) { return true }
                case .internal:
                    if facts.isOwn(address) { return true }
                }
            }
            return false
        }
    }

    /// Whether some field of the slot passes a value test: on the raw bytes when they and the
    /// test's values are ASCII, else as ``testHeader(_:_:_:explain:)`` does on the strings.
    private func headerHolds(_ slot: Int, _ test: CompiledPolicy.HeaderValueTest, _ facts: MessageFacts) -> Bool {
        facts.all(slot).contains { field in
            let ascii: Bool? = test.valuesAreASCII ? Classifier.asciiValueTest(test, field) : nil
            return ascii ?? (Classifier.valueTest(test.test, field) != nil)
        }
    }

    /// A value test on the raw bytes of a field, or nil when they are not ASCII (those go the
    /// way of the strings).
    private static func asciiValueTest(_ test: CompiledPolicy.HeaderValueTest, _ field: HeaderField) -> Bool? {
        var folded = false
        for byte in field.rawValue {
            if byte >= 0x80 { return nil }
            if byte == 0x0D || byte == 0x0A { folded = true }
        }
        guard folded else { return field.rawValue.withUnsafeBufferPointer { asciiValueTest(test, unfolded: $0) } }
        let unfolded = field.rawValue.filter { $0 != 0x0D && $0 != 0x0A }
        return unfolded.withUnsafeBufferPointer { asciiValueTest(test, unfolded: $0) }
    }

    /// A value test on the bytes of an ASCII value without line breaks.
    private static func asciiValueTest(_ test: CompiledPolicy.HeaderValueTest, unfolded raw: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        // The trimmed value, and its part before the first ";" trimmed again.
        func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var lower = 0
        var upper = raw.count
        while lower < upper, blank(raw[lower]) { lower += 1 }
        while upper > lower, blank(raw[upper - 1]) { upper -= 1 }
        var headEnd = lower
        while headEnd < upper, raw[headEnd] != UInt8(ascii: ";") { headEnd += 1 }
        while headEnd > lower, blank(raw[headEnd - 1]) { headEnd -= 1 }
        /// Whether `value` is at `start` of the lower-cased value.
        func lowered(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        func equal(_ value: [UInt8], at start: Int) -> Bool {
            var offset = 0
            while offset < value.count {
                if lowered(raw[start + offset]) != value[offset] { return false }
                offset += 1
            }
            return true
        }
        switch test.kind {
        case .present:
            return true
        case .isOneOf:
            return test.values.contains { $0.count == headEnd - lower && equal($0, at: lower) }
        case .isNoneOf:
            return !test.values.contains { $0.count == headEnd - lower && equal($0, at: lower) }
        case .startsWith:
            return test.values.contains { $0.count <= upper - lower && equal($0, at: lower) }
        case .contains:
            // Long fields (Authentication-Results, Received-SPF): compared only where the first
            // byte matches.
            return test.values.contains { value in
                guard let first = value.first else { return true }
                guard value.count <= upper - lower else { return false }
                var start = lower
                while start <= upper - value.count {
                    if lowered(raw[start]) == first && equal(value, at: start) { return true }
                    start += 1
                }
                return false
            }
        }
    }

    /// The evidence for a condition, in the words of the explanation; nil when it does not hold.
    /// Made only for the rule that decided, so it may take the slow way.
    private func evidence(_ condition: RuleCondition, _ facts: MessageFacts) -> String? {
        switch condition {
        case .header(let name, let headerTest):
            let message = facts.message
            if case .present = headerTest {
                guard message.header.contains(name) else { return nil }
                return "header \(name) is present"
            }
            for field in message.header.all(name) where Classifier.valueTest(headerTest, field) != nil {
                return "header \(name): \"\(field.unfoldedValue)\" \(headerTest)"
            }
            return nil
        case .from(let patterns):
            return addressEvidence(facts.senders, patterns, field: "from")
        case .to(let patterns):
            return addressEvidence(facts.recipients, patterns, field: "to")
        case .subject(let words):
            guard let match = words.firstMatch(inFolded: facts.foldedSubject) else { return nil }
            return "subject \"\(facts.subject)\" matches \"\(match.pattern)\""
        case .body(let words):
            guard let match = words.firstMatch(inFolded: facts.foldedBody) else { return nil }
            return "body text \"\(Classifier.snippet(facts.foldedBody, match.range))\" matches \"\(match.pattern)\""
        case .ownText(let words):
            guard let match = words.firstMatch(inFolded: facts.ownText) else { return nil }
            return "own text \"\(Classifier.snippet(facts.ownText, match.range))\" matches \"\(match.pattern)\""
        case .attachmentName(let words):
            for attachment in facts.attachments {
                if let match = words.firstMatch(inFolded: attachment.folded) {
                    return "attachment \"\(attachment.name)\" matches \"\(match.pattern)\""
                }
            }
            return nil
        case .attachmentType(let patterns):
            for type in facts.mediaTypes {
                let bytes = Array(type.utf8)
                if let pattern = patterns.first(where: { $0.matches(lowercased: bytes) }) {
                    return "a MIME part of type \"\(type)\" matches \"\(pattern)\""
                }
            }
            return nil
        case .folder(let patterns):
            let folder = facts.folder
            for pattern in patterns {
                let hit =
                    pattern.description.contains(".")
                    ? pattern.matches(lowercased: folder.full)
                    : folder.levels.contains { pattern.matches(lowercased: $0) }
                if hit {
                    return "folder \"\(MessageContext.decodedFolderName(facts.context.folder))\" matches \"\(pattern)\""
                }
            }
            return nil
        case .sent(let expected):
            guard facts.context.isSent == expected else { return nil }
            return expected ? "folder \"\(facts.context.folder)\" holds sent mail" : "not in a sent folder"
        case .reply(let expected):
            let marker = facts.replyMarker
            guard (marker != nil) == expected else { return nil }
            return marker.map { "a reply: \($0)" } ?? "not a reply"
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

    /// A header value test on one field's unfolded value (case ignored, compared up to the
    /// first ";"): non-nil when it passes.
    static func valueTest(_ headerTest: HeaderTest, _ field: HeaderField) -> String? {
        let value = field.unfoldedValue.lowercased()
        let head =
            value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch headerTest {
        case .present: return ""
        case .isOneOf(let values): return values.first { $0 == head }
        case .isNoneOf(let values): return values.contains(head) ? nil : head
        case .startsWith(let values): return values.first { value.hasPrefix($0) }
        case .contains(let values): return values.first { value.contains($0) }
        }
    }

    private func addressEvidence(_ addresses: [MailboxAddress], _ patterns: [AddressPattern], field: String)
        -> String?
    {
        for address in addresses {
            if let pattern = patterns.first(where: { $0.matches(address) }) {
                return "\(field) \"\(address.text)\" matches \"\(pattern)\""
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
