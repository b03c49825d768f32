import Foundation
import MailParsing
import PrivacyEvents

/// A policy's rules turned into tables, once per ``Classifier``, so that classifying a message
/// compares bytes instead of building strings.
///
/// - The header fields the rules name (and those the classifier reads itself) get slots, so
///   that each is looked up at most once per message (see ``MessageFacts``).
/// - The word lists of all `subject`, `body` and `attachment` conditions are searched together,
///   each text once (``WordListSet``).
/// - The conditions of a rule are tried cheapest first: a rule matches when all of `all` hold,
///   one of `any` and none of `none`, whatever the order, so the header and folder tests run
///   before the address parser and the body decoder are asked.
/// - What the folder conditions say about a folder is kept per folder name.
/// - The constant parts of the explanations (the rule line, the category's period and law) are
///   written once.
///
/// Immutable but for the folder cache, which a lock guards, so one instance serves every thread.
final class CompiledPolicy: @unchecked Sendable {
    /// One test of a message, with the tables it needs.
    ///
    /// The payloads are indices into the policy's tables, so that walking the rules for every
    /// message copies no arrays (and counts no references).
    enum Check {
        /// A header field (by slot) is present, or one of its values passes a test (by its
        /// index in ``headerTests``).
        case header(slot: Int, test: Int)
        /// Address patterns, by their index in ``addressPatterns``.
        case from(Int)
        case to(Int)
        /// A subject, body or attachment word list, by its index in the policy's set.
        case subject(Int)
        case body(Int)
        case ownText(Int)
        case attachmentName(Int)
        /// Media type patterns, by their index in ``mediaTypePatterns``.
        case attachmentType(Int)
        /// A folder condition, by its index in ``folderConditions``.
        case folder(Int)
        case sent(Bool)
        case reply(Bool)
        case counterpart(Counterpart)

        /// Roughly what a test costs when nothing about the message is known yet: header and
        /// folder tests are nearly free, the subject needs decoding, addresses need the address
        /// parser, and the body needs decoding a text part.
        var cost: Int {
            switch self {
            case .sent: return 0
            case .folder: return 1
            case .header: return 2
            case .attachmentType: return 3
            case .subject, .reply: return 4
            case .attachmentName: return 5
            case .from: return 6
            case .counterpart: return 7
            case .to: return 8
            case .body, .ownText: return 10
            }
        }
    }

    /// A header test with its values as bytes.
    struct HeaderValueTest {
        enum Kind { case present, isOneOf, isNoneOf, startsWith, contains }
        let kind: Kind
        /// The test as written, for the few values that are not ASCII and for explanations.
        let test: HeaderTest
        let values: [[UInt8]]
        /// Whether every value is ASCII (then bytes compare as the strings do).
        let valuesAreASCII: Bool

        init(_ test: HeaderTest) {
            self.test = test
            let strings: [String]
            switch test {
            case .present: (kind, strings) = (.present, [])
            case .isOneOf(let values): (kind, strings) = (.isOneOf, values)
            case .isNoneOf(let values): (kind, strings) = (.isNoneOf, values)
            case .startsWith(let values): (kind, strings) = (.startsWith, values)
            case .contains(let values): (kind, strings) = (.contains, values)
            }
            values = strings.map { Array($0.utf8) }
            // An empty `contains` value is left to the string comparison, whose answer for it
            // depends on which `contains` the compiler picks.
            valuesAreASCII =
                values.allSatisfy { $0.allSatisfy { $0 < 0x80 } } && !(kind == .contains && values.contains { $0.isEmpty })
        }
    }

    /// A condition of a rule in the order it is tried.
    enum Step {
        /// An `all` condition: the rule fails when it does not hold.
        case require(Check)
        /// A `none` condition: the rule fails when it holds.
        case reject(Check)
        /// The `any` conditions, cheapest first: the rule fails when none holds.
        case anyOf([Check])

        var cost: Int {
            switch self {
            case .require(let check), .reject(let check): return check.cost
            case .anyOf(let checks): return checks.map(\.cost).max() ?? 0
            }
        }
    }

    /// A rule ready to run (a class: the classifier walks the rules for every message).
    final class Rule {
        let rule: RetentionRule
        let steps: [Step]
        /// The checks of `any` in policy order, for finding the evidence.
        let anyChecks: [Check]
        /// The index of the rule's category in the policy.
        let category: Int
        /// `rule "id" (policy line 12): why`.
        let titleLine: String
        /// `rule "id": `, before each piece of evidence.
        let evidencePrefix: String
        /// The line about the exceptions, when there are any.
        let exceptionLine: String?

        init(
            rule: RetentionRule, steps: [Step], anyChecks: [Check], category: Int, titleLine: String,
            evidencePrefix: String, exceptionLine: String?
        ) {
            self.rule = rule
            self.steps = steps
            self.anyChecks = anyChecks
            self.category = category
            self.titleLine = titleLine
            self.evidencePrefix = evidencePrefix
            self.exceptionLine = exceptionLine
        }
    }

    /// A category with the constant parts of its explanation line.
    struct Category {
        let category: RetentionCategory
        /// `category "id": 8 years `.
        let prefix: String
        /// ` (GDPR Art. 6(1)(c); AO …)` after the last day to keep.
        let keepSuffix: String
        /// `, erase from ` before the first day to erase.
        let endPrefix: String
    }

    let policy: RetentionPolicy
    let rules: [Rule]
    /// The tables the checks point into.
    let headerTests: [HeaderValueTest]
    let addressPatterns: [[AddressPattern]]
    let mediaTypePatterns: [[GlobPattern]]
    let categories: [Category]
    let fallbackCategory: Int

    /// Lower-cased header names by slot.
    let headerNames: [String]
    /// Slots of the fields the classifier reads itself.
    let subjectSlot: Int, dateSlot: Int, inReplyToSlot: Int, deliveredToSlot: Int, originalToSlot: Int
    let fromSlot: Int, senderSlot: Int, toSlot: Int, ccSlot: Int, bccSlot: Int

    let subjectLists: WordListSet
    let bodyLists: WordListSet
    let ownTextLists: WordListSet
    let attachmentLists: WordListSet

    /// The patterns of each folder condition; a pattern with `.` is compared with the whole name.
    let folderConditions: [[(pattern: GlobPattern, wholeName: Bool)]]
    private let folderCache = FolderCache()

    /// The policy's own domains, as bytes.
    let ownDomains: [[UInt8]]
    /// The policy's private mail domains, as bytes and as strings.
    let privateMailDomains: [[UInt8]]
    let privateMailDomainSet: Set<String>

    init(_ policy: RetentionPolicy) {
        self.policy = policy
        ownDomains = policy.ownDomains.map { Array($0.utf8) }
        privateMailDomains = policy.privateMailDomains.map { Array($0.utf8) }
        privateMailDomainSet = Set(policy.privateMailDomains)

        var headerNames: [String] = []
        func slot(_ name: String) -> Int {
            let lowered = name.lowercased()
            if let index = headerNames.firstIndex(of: lowered) { return index }
            headerNames.append(lowered)
            return headerNames.count - 1
        }
        subjectSlot = slot("Subject")
        dateSlot = slot("Date")
        inReplyToSlot = slot("In-Reply-To")
        deliveredToSlot = slot("Delivered-To")
        originalToSlot = slot("X-Original-To")
        fromSlot = slot(AddressField.from.rawValue)
        senderSlot = slot(AddressField.sender.rawValue)
        toSlot = slot(AddressField.to.rawValue)
        ccSlot = slot(AddressField.cc.rawValue)
        bccSlot = slot(AddressField.bcc.rawValue)

        var subjectLists: [WordList] = []
        var bodyLists: [WordList] = []
        var ownTextLists: [WordList] = []
        var attachmentLists: [WordList] = []
        func index(_ list: WordList, in lists: inout [WordList]) -> Int {
            if let index = lists.firstIndex(of: list) { return index }
            lists.append(list)
            return lists.count - 1
        }
        var folderConditions: [[(pattern: GlobPattern, wholeName: Bool)]] = []
        var headerTests: [HeaderValueTest] = []
        var addressPatterns: [[AddressPattern]] = []
        var mediaTypePatterns: [[GlobPattern]] = []
        func append<T>(_ item: T, to table: inout [T]) -> Int {
            table.append(item)
            return table.count - 1
        }

        func check(_ condition: RuleCondition) -> Check {
            switch condition {
            case .header(let name, let test):
                return .header(slot: slot(name), test: append(HeaderValueTest(test), to: &headerTests))
            case .from(let patterns): return .from(append(patterns, to: &addressPatterns))
            case .to(let patterns): return .to(append(patterns, to: &addressPatterns))
            case .subject(let words): return .subject(index(words, in: &subjectLists))
            case .body(let words): return .body(index(words, in: &bodyLists))
            case .ownText(let words): return .ownText(index(words, in: &ownTextLists))
            case .attachmentName(let words): return .attachmentName(index(words, in: &attachmentLists))
            case .attachmentType(let patterns): return .attachmentType(append(patterns, to: &mediaTypePatterns))
            case .folder(let patterns):
                folderConditions.append(patterns.map { ($0, $0.description.contains(".")) })
                return .folder(folderConditions.count - 1)
            case .sent(let flag): return .sent(flag)
            case .reply(let flag): return .reply(flag)
            case .counterpart(let kind): return .counterpart(kind)
            }
        }

        var categoryIndex: [String: Int] = [:]
        for (index, category) in policy.categories.enumerated() { categoryIndex[category.id] = index }
        var rules: [Rule] = []
        for rule in policy.rules {
            var steps: [Step] = rule.all.map { .require(check($0)) }
            let anyChecks = rule.any.map(check)
            if !anyChecks.isEmpty {
                steps.append(.anyOf(anyChecks.enumerated().sorted { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) }.map(\.element)))
            }
            steps += rule.none.map { .reject(check($0)) }
            let ordered = steps.enumerated().sorted { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) }
            let exceptionLine: String? =
                rule.none.isEmpty
                ? nil
                : "rule \"\(rule.id)\": "
                    + (rule.none.count == 1
                        ? "its exception does not apply" : "none of its \(rule.none.count) exceptions applies")
            rules.append(
                Rule(
                    rule: rule, steps: ordered.map(\.element), anyChecks: anyChecks,
                    // The policy's initializer guarantees that every rule's category exists.
                    category: categoryIndex[rule.category]!,
                    titleLine: "rule \"\(rule.id)\"\(rule.line.map { " (policy line \($0))" } ?? ""): \(rule.why)",
                    evidencePrefix: "rule \"\(rule.id)\": ", exceptionLine: exceptionLine))
        }
        self.rules = rules
        fallbackCategory = categoryIndex[policy.fallbackCategory]!
        categories = policy.categories.map { category in
            Category(
                category: category, prefix: "category \"\(category.id)\": \(category.period) ",
                keepSuffix: " (\(category.legalBasis.citation))", endPrefix: ", \(category.atEnd.rawValue) from ")
        }

        self.headerNames = headerNames
        self.subjectLists = WordListSet(subjectLists)
        self.bodyLists = WordListSet(bodyLists)
        self.ownTextLists = WordListSet(ownTextLists)
        self.attachmentLists = WordListSet(attachmentLists)
        self.folderConditions = folderConditions
        self.headerTests = headerTests
        self.addressPatterns = addressPatterns
        self.mediaTypePatterns = mediaTypePatterns
    }

    // MARK: Folders

    /// What the rules read from a folder name, computed once per name.
    final class Folder: Sendable {
        /// The decoded, lower-cased name with its levels joined by ".", and each level.
        let full: [UInt8]
        let levels: [[UInt8]]
        /// Whether each folder condition holds.
        let holds: [Bool]

        init(_ name: String, conditions: [[(pattern: GlobPattern, wholeName: Bool)]]) {
            let levels = MessageContext.folderLevels(name)
            let full = Array(levels.joined(separator: ".").utf8)
            let levelBytes = levels.map { Array($0.utf8) }
            self.full = full
            self.levels = levelBytes
            holds = conditions.map { patterns in
                patterns.contains { entry in
                    entry.wholeName
                        ? entry.pattern.matches(lowercased: full)
                        : levelBytes.contains { entry.pattern.matches(lowercased: $0) }
                }
            }
        }
    }

    /// The facts of a folder name, from the cache when the name was seen before.
    func folder(_ name: String) -> Folder {
        folderCache.folder(name) { Folder($0, conditions: folderConditions) }
    }

    private final class FolderCache: @unchecked Sendable {
        private let lock = NSLock()
        private var folders: [String: Folder] = [:]
        /// The last folder asked for: a store is read folder by folder.
        private var last: Folder?
        private var lastName = ""

        func folder(_ name: String, make: (String) -> Folder) -> Folder {
            lock.lock()
            if let last, lastName == name {
                lock.unlock()
                return last
            }
            if let known = folders[name] {
                last = known
                lastName = name
                lock.unlock()
                return known
            }
            lock.unlock()
            let made = make(name)
            lock.lock()
            // A store has a few hundred folders at most; a caller inventing names does not grow this.
            if folders.count >= 4096 { folders.removeAll() }
            folders[name] = made
            last = made
            lastName = name
            lock.unlock()
            return made
        }
    }
}
