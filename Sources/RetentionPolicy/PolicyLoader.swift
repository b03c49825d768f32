import Foundation
import PrivacyEvents
import Yams

extension RetentionPolicy {
    /// Loads a policy from YAML text (see the schema on ``RetentionPolicy``).
    /// - Parameter file: the name used in error messages, for example "policy.yaml".
    /// - Throws: ``PolicyError`` with the file and line of the first problem.
    public init(yaml: String, file: String) throws(PolicyError) {
        self = try PolicyLoader(file: file).load(yaml)
    }

    /// Loads a policy file; errors name the file as the URL's relative path.
    /// - Throws: ``PolicyError`` when the file cannot be read or is not a valid policy.
    public init(contentsOf url: URL) throws(PolicyError) {
        let name = url.isFileURL ? url.relativePath : url.absoluteString
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PolicyError(
                file: name, line: nil, kind: .unreadable,
                message: "cannot read the policy file (\(error.localizedDescription))")
        }
        try self.init(yaml: text, file: name)
    }
}

/// Reads a policy from Yams nodes, checking every key and value and locating each problem by
/// the line its node starts on.
struct PolicyLoader {
    let file: String

    static let topKeys = [
        "version", "name", "own-domains", "private-mail-domains", "fallback", "vocabulary", "categories", "rules",
        "recipients",
    ]
    static let recipientKeys = ["id", "name", "kind", "purpose", "basis", "law", "domains", "categories"]
    static let requiredRecipientKeys = ["id", "name", "kind", "purpose", "basis"]
    static let categoryKeys = [
        "id", "title", "purpose", "basis", "law", "start", "period", "duty", "at-end", "backup-period", "review-without-event",
    ]
    static let requiredCategoryKeys = ["id", "title", "purpose", "basis", "start", "period", "duty", "at-end"]
    static let ruleKeys = ["id", "category", "why", "decisive", "weak", "all", "any", "none"]
    static let conditionKeys = [
        "header", "from", "to", "subject", "body", "own-text", "attachment", "attachment-type", "folder", "sent", "reply",
        "counterpart",
    ]
    static let headerTestKeys = ["is", "is-not", "starts-with", "contains"]
    static let startWords = ["message-date", "end-of-year", "event:"]

    func load(_ yaml: String) throws(PolicyError) -> RetentionPolicy {
        let root = try compose(yaml)
        guard case .mapping(let top) = root else {
            throw error(root, .invalidValue, "the policy must be a mapping with the keys \"categories\" and \"rules\"")
        }
        try checkKeys(top, allowed: Self.topKeys, owner: "the policy")
        if let version = top["version"] {
            let text = try scalar(version, "\"version\"")
            guard text == "1" else {
                throw error(
                    version, .invalidValue, "policy version \(text) is not supported; this privctl reads version 1")
            }
        }
        let name =
            try top["name"].map { node throws(PolicyError) in try scalar(node, "\"name\"") } ?? "retention policy"
        if let vocabulary = top["vocabulary"], vocabulary.mapping == nil {
            throw error(vocabulary, .invalidValue, "\"vocabulary\" must be a mapping of named word lists")
        }
        let ownDomains =
            try top["own-domains"].map { node throws(PolicyError) in try domains(node, "own-domains") } ?? []
        let privateDomains =
            try top["private-mail-domains"].map { node throws(PolicyError) in try domains(node, "private-mail-domains")
            } ?? []

        guard let categoriesNode = top["categories"] else {
            throw error(root, .missingKey, "the policy has no \"categories\"")
        }
        guard case .sequence(let categoryList) = categoriesNode, !categoryList.isEmpty else {
            throw error(categoriesNode, .invalidValue, "\"categories\" must be a non-empty list of categories")
        }
        var categories: [RetentionCategory] = []
        var categoryLines: [String: Int] = [:]
        for node in categoryList {
            let (category, idNode) = try loadCategory(node)
            if let first = categoryLines[category.id] {
                throw error(idNode, .duplicateID, "category id \"\(category.id)\" is already used on line \(first)")
            }
            categoryLines[category.id] = line(of: idNode) ?? 0
            categories.append(category)
        }

        guard let rulesNode = top["rules"] else {
            throw error(root, .missingKey, "the policy has no \"rules\"")
        }
        guard case .sequence(let ruleList) = rulesNode else {
            throw error(rulesNode, .invalidValue, "\"rules\" must be a list of rules")
        }
        var rules: [RetentionRule] = []
        var ruleLines: [String: Int] = [:]
        for node in ruleList {
            let (rule, idNode, categoryNode) = try loadRule(node)
            if let first = ruleLines[rule.id] {
                throw error(idNode, .duplicateID, "rule id \"\(rule.id)\" is already used on line \(first)")
            }
            ruleLines[rule.id] = line(of: idNode) ?? 0
            guard categoryLines[rule.category] != nil else {
                throw error(
                    categoryNode, .unknownCategory,
                    "rule \"\(rule.id)\" refers to unknown category \"\(rule.category)\""
                        + Suggestion.hint(for: rule.category, among: categories.map(\.id)))
            }
            rules.append(rule)
        }

        let fallbackNode = top["fallback"]
        let fallback =
            try fallbackNode.map { node throws(PolicyError) in try scalar(node, "\"fallback\"") } ?? "unclassified"
        guard categoryLines[fallback] != nil else {
            throw error(
                fallbackNode ?? root, .unknownCategory,
                "the fallback category \"\(fallback)\" is not defined"
                    + Suggestion.hint(for: fallback, among: categories.map(\.id))
                    + (fallbackNode == nil ? "; define it or name another with \"fallback:\"" : ""))
        }
        var recipients: [PolicyRecipient] = []
        if let recipientsNode = top["recipients"] {
            guard case .sequence(let list) = recipientsNode else {
                throw error(recipientsNode, .invalidValue, "\"recipients\" must be a list of recipients")
            }
            var recipientLines: [String: Int] = [:]
            for node in list {
                let (recipient, idNode) = try loadRecipient(node, categories: categories.map(\.id))
                if let first = recipientLines[recipient.id] {
                    throw error(idNode, .duplicateID, "recipient id \"\(recipient.id)\" is already used on line \(first)")
                }
                recipientLines[recipient.id] = line(of: idNode) ?? 0
                recipients.append(recipient)
            }
        }
        do {
            return try RetentionPolicy(
                name: name, categories: categories, rules: rules, ownDomains: ownDomains,
                privateMailDomains: privateDomains, fallbackCategory: fallback, recipients: recipients)
        } catch {
            throw PolicyError(file: file, line: nil, kind: error.kind, message: error.message)
        }
    }

    // MARK: Categories

    private func loadCategory(_ node: Node) throws(PolicyError) -> (RetentionCategory, Node) {
        let (map, idNode, id, owner) = try entry(
            node, "category", allowed: Self.categoryKeys, shape: "\"id\", \"title\", \"period\" and so on")
        for key in Self.requiredCategoryKeys where map[key] == nil {
            throw error(node, .missingKey, "\(owner) has no \"\(key)\"")
        }
        let title = try scalar(map["title"]!, "\"title\" of \(owner)")
        let purpose = try scalar(map["purpose"]!, "\"purpose\" of \(owner)")

        let basis = try legalBasis(map, owner: owner)

        let startNode = map["start"]!
        let start = try periodStart(startNode, owner: owner)
        let period = try period(map["period"]!, key: "period", owner: owner)
        let dutyNode = map["duty"]!
        let duty = try bool(dutyNode, "\"duty\" of \(owner)")
        if duty && period.isUnlimited {
            throw error(dutyNode, .invalidValue, "\(owner) has a retention duty but period none; a duty needs a period")
        }
        let actionNode = map["at-end"]!
        let actionText = try scalar(actionNode, "\"at-end\" of \(owner)")
        guard let action = EndAction(rawValue: actionText.lowercased()) else {
            throw error(
                actionNode, .invalidValue,
                "\(owner) has unknown at-end action \"\(actionText)\""
                    + Suggestion.hint(for: actionText, among: ["erase", "review"])
                    + "; use erase or review")
        }
        let backup = try map["backup-period"].map { node throws(PolicyError) in
            try self.period(node, key: "backup-period", owner: owner)
        }
        var reviewWithoutEvent: RetentionPeriod?
        if let node = map["review-without-event"] {
            guard case .event(let name) = start else {
                throw error(
                    node, .invalidValue,
                    "\(owner) has \"review-without-event\" but starts at \"\(start)\"; it is for categories that start at an event (event:NAME)")
            }
            let review = try self.period(node, key: "review-without-event", owner: owner)
            if review.isUnlimited {
                throw error(node, .invalidValue, "\(owner) has \"review-without-event: none\"; give a period, for example \"6 months\", or leave it out (the \(name) then counts from the message day)")
            }
            reviewWithoutEvent = review
        }
        let category = RetentionCategory(
            id: id, title: title, purpose: purpose, legalBasis: basis, period: period, start: start, duty: duty,
            atEnd: action, backupPeriod: backup, reviewWithoutEvent: reviewWithoutEvent)
        return (category, idNode)
    }

    // MARK: Recipients

    private func loadRecipient(_ node: Node, categories known: [String]) throws(PolicyError) -> (PolicyRecipient, Node) {
        let (map, idNode, id, owner) = try entry(
            node, "recipient", allowed: Self.recipientKeys, shape: "\"id\", \"name\", \"kind\", \"purpose\" and \"basis\"")
        for key in Self.requiredRecipientKeys where map[key] == nil {
            throw error(node, .missingKey, "\(owner) has no \"\(key)\"")
        }
        let name = try scalar(map["name"]!, "\"name\" of \(owner)")
        let kindNode = map["kind"]!
        let kindText = try scalar(kindNode, "\"kind\" of \(owner)")
        guard let kind = PolicyRecipient.Kind(rawValue: kindText.lowercased()) else {
            throw error(
                kindNode, .invalidValue,
                "\(owner) has unknown kind \"\(kindText)\""
                    + Suggestion.hint(for: kindText, among: PolicyRecipient.Kind.allCases.map(\.rawValue))
                    + "; use processor or third-party")
        }
        let purpose = try scalar(map["purpose"]!, "\"purpose\" of \(owner)")
        let basis = try legalBasis(map, owner: owner)
        let domainList = try map["domains"].map { node throws(PolicyError) in try domains(node, "domains") } ?? []
        var categoryList: [String] = []
        if let categoriesNode = map["categories"] {
            categoryList = try strings(categoriesNode, "\"categories\" of \(owner)")
            for category in categoryList where !known.contains(category) {
                throw error(
                    categoriesNode, .unknownCategory,
                    "\(owner) refers to unknown category \"\(category)\"" + Suggestion.hint(for: category, among: known))
            }
        }
        let recipient = PolicyRecipient(
            id: id, name: name, kind: kind, purpose: purpose, legalBasis: basis,
            domains: domainList, categories: categoryList)
        return (recipient, idNode)
    }

    /// `basis` (required, checked by the caller) and `law` (optional) of a category or recipient.
    private func legalBasis(_ map: Node.Mapping, owner: String) throws(PolicyError) -> LegalBasis {
        let basisNode = map["basis"]!
        let basisText = try scalar(basisNode, "\"basis\" of \(owner)")
        guard let basis = LawfulBasis(policyText: basisText) else {
            throw error(
                basisNode, .unknownBasis,
                "\(owner) has unknown legal basis \"\(basisText)\"; use a GDPR Art. 6(1) letter a to f, for example \"art6-1-c\" or \"Art. 6(1)(c)\""
            )
        }
        let law = try map["law"].map { node throws(PolicyError) in try scalar(node, "\"law\" of \(owner)") }
        return LegalBasis(basis, retentionLaw: law.flatMap { $0.isEmpty ? nil : $0 })
    }

    private func periodStart(_ node: Node, owner: String) throws(PolicyError) -> PeriodStart {
        let text = try scalar(node, "\"start\" of \(owner)")
        let lower = text.lowercased()
        switch lower {
        case "message-date": return .messageDate
        case "end-of-year": return .endOfYear
        default:
            if lower.hasPrefix("event:") {
                let name = lower.dropFirst("event:".count).trimmingCharacters(in: .whitespaces)
                guard Self.isKebabCase(name) else {
                    throw error(
                        node, .invalidValue,
                        "\(owner) has start \"\(text)\" whose event name is not kebab-case, for example \"event:application-decision\""
                    )
                }
                return .event(name)
            }
            throw error(
                node, .invalidValue,
                "\(owner) has unknown start \"\(text)\""
                    + Suggestion.hint(for: lower, among: ["message-date", "end-of-year"])
                    + "; use message-date, end-of-year or event:NAME")
        }
    }

    private func period(_ node: Node, key: String, owner: String) throws(PolicyError) -> RetentionPeriod {
        let text = try scalar(node, "\"\(key)\" of \(owner)")
        switch RetentionPeriod.parse(text) {
        case .success(let period): return period
        case .failure(let problem):
            if let word = problem.word {
                let units = RetentionPeriod.units.flatMap(\.names)
                throw error(
                    node, .invalidValue,
                    "\(owner) has \(key) \"\(text)\" with unknown unit \"\(word)\""
                        + Suggestion.hint(for: word, among: units)
                        + "; use days, weeks, months or years")
            }
            throw error(
                node, .invalidValue,
                "\(owner) has \(key) \"\(text)\", which is not \"none\" or a number with a unit, for example \"8 years\""
            )
        }
    }

    // MARK: Rules

    private func loadRule(_ node: Node) throws(PolicyError) -> (RetentionRule, Node, Node) {
        let (map, idNode, id, owner) = try entry(
            node, "rule", allowed: Self.ruleKeys, shape: "\"id\", \"category\", \"why\" and conditions")
        guard let categoryNode = map["category"] else { throw error(node, .missingKey, "\(owner) has no \"category\"") }
        let category = try scalar(categoryNode, "\"category\" of \(owner)")
        guard let whyNode = map["why"] else { throw error(node, .missingKey, "\(owner) has no \"why\"") }
        let why = try scalar(whyNode, "\"why\" of \(owner)")
        let all =
            try map["all"].map { node throws(PolicyError) in try conditions(node, key: "all", owner: owner) } ?? []
        let any =
            try map["any"].map { node throws(PolicyError) in try conditions(node, key: "any", owner: owner) } ?? []
        let none =
            try map["none"].map { node throws(PolicyError) in try conditions(node, key: "none", owner: owner) } ?? []
        guard !all.isEmpty || !any.isEmpty else {
            throw error(node, .missingKey, "\(owner) has no conditions; give \"all\" or \"any\"")
        }
        let decisive = try map["decisive"].map { node throws(PolicyError) in try bool(node, "\"decisive\" of \(owner)") } ?? false
        let weak = try map["weak"].map { node throws(PolicyError) in try bool(node, "\"weak\" of \(owner)") } ?? false
        if decisive && weak {
            throw error(
                idNode, .invalidValue,
                "\(owner) is both \"decisive\" and \"weak\"; a rule is one or the other (or neither)")
        }
        let rule = RetentionRule(
            id: id, category: category, why: why, all: all, any: any, none: none,
            strength: decisive ? .decisive : weak ? .weak : .normal, line: line(of: node))
        return (rule, idNode, categoryNode)
    }

    private func conditions(_ node: Node, key: String, owner: String) throws(PolicyError) -> [RuleCondition] {
        guard case .sequence(let list) = node, !list.isEmpty else {
            throw error(node, .invalidValue, "\"\(key)\" of \(owner) must be a non-empty list of conditions")
        }
        var result: [RuleCondition] = []
        for item in list { result.append(try condition(item, owner: owner)) }
        return result
    }

    private func condition(_ node: Node, owner: String) throws(PolicyError) -> RuleCondition {
        guard case .mapping(let map) = node else {
            throw error(
                node, .invalidValue, "\(owner) has a condition that is not a mapping such as \"subject: [rechnung*]\"")
        }
        var tests: [(String, Node, Node)] = []
        var modifiers: [(String, Node, Node)] = []
        for (keyNode, value) in map {
            let key = keyNode.string ?? ""
            if Self.conditionKeys.contains(key) {
                tests.append((key, keyNode, value))
            } else if Self.headerTestKeys.contains(key) {
                modifiers.append((key, keyNode, value))
            } else {
                throw error(
                    keyNode, .unknownCondition,
                    "\(owner) has unknown condition \"\(key)\""
                        + Suggestion.hint(for: key, among: Self.conditionKeys + Self.headerTestKeys))
            }
        }
        guard let (key, _, value) = tests.first else {
            throw error(node, .invalidValue, "\(owner) has \"\(modifiers.first?.0 ?? "")\" without \"header\"")
        }
        if tests.count > 1 {
            throw error(
                tests[1].1, .invalidValue,
                "\(owner) has a condition with two tests, \"\(key)\" and \"\(tests[1].0)\"; write each as its own list item"
            )
        }
        if key != "header", let modifier = modifiers.first {
            throw error(modifier.1, .invalidValue, "\(owner) has \"\(modifier.0)\" without \"header\"")
        }
        let what = "\"\(key)\" of \(owner)"
        switch key {
        case "header":
            let name = try scalar(value, what)
            guard !name.isEmpty,
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else {
                throw error(value, .invalidValue, "\(owner) has header \"\(name)\", which is not a header field name")
            }
            if modifiers.count > 1 {
                throw error(
                    modifiers[1].1, .invalidValue,
                    "\(owner) has a header test with both \"\(modifiers[0].0)\" and \"\(modifiers[1].0)\"; use one per condition"
                )
            }
            guard let (modifier, _, valuesNode) = modifiers.first else { return .header(name: name, test: .present) }
            let values = try strings(valuesNode, "\"\(modifier)\" of \(owner)").map { $0.lowercased() }
            switch modifier {
            case "is": return .header(name: name, test: .isOneOf(values))
            case "is-not": return .header(name: name, test: .isNoneOf(values))
            case "starts-with": return .header(name: name, test: .startsWith(values))
            default: return .header(name: name, test: .contains(values))
            }
        case "from", "to":
            var patterns: [AddressPattern] = []
            for text in try strings(value, what) {
                guard let pattern = AddressPattern(text) else {
                    throw error(
                        value, .invalidValue, "\(owner) has \(key) pattern \"\(text)\", which is not an address pattern"
                    )
                }
                patterns.append(pattern)
            }
            return key == "from" ? .from(patterns) : .to(patterns)
        case "subject", "body", "own-text", "attachment":
            let words = try wordList(value, key: key, owner: owner)
            switch key {
            case "subject": return .subject(words)
            case "body": return .body(words)
            case "own-text": return .ownText(words)
            default: return .attachmentName(words)
            }
        case "attachment-type":
            var types: [GlobPattern] = []
            for text in try strings(value, what) {
                let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || "*.+-_".contains(c)) }
                guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(allowed) }) else {
                    throw error(
                        value, .invalidValue,
                        "\(owner) has attachment-type \"\(text)\", which is not a media type such as \"application/pdf\" or \"image/*\""
                    )
                }
                types.append(GlobPattern(text))
            }
            return .attachmentType(types)
        case "folder":
            let folders = try strings(value, what)
            if let empty = folders.first(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                throw error(value, .invalidValue, "\(owner) has an empty folder pattern \"\(empty)\"")
            }
            return .folder(folders.map(GlobPattern.init))
        case "sent": return .sent(try bool(value, what))
        case "reply": return .reply(try bool(value, what))
        default:
            let text = try scalar(value, what)
            guard let kind = Counterpart(rawValue: text.lowercased()) else {
                throw error(
                    value, .invalidValue,
                    "\(owner) has counterpart \"\(text)\""
                        + Suggestion.hint(for: text, among: Counterpart.allCases.map(\.rawValue))
                        + "; use business, private or internal")
            }
            return .counterpart(kind)
        }
    }

    private func wordList(_ node: Node, key: String, owner: String) throws(PolicyError) -> WordList {
        let patterns = try strings(node, "\"\(key)\" of \(owner)")
        do {
            return try WordList(patterns)
        } catch {
            throw self.error(
                node, .invalidValue, "\(owner) has \(key) pattern \"\(error.pattern)\", which \(error.reason)")
        }
    }

    // MARK: Values

    private func compose(_ yaml: String) throws(PolicyError) -> Node {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let yamlError as YamlError {
            throw syntaxError(yamlError)
        } catch {
            throw PolicyError(file: file, line: nil, kind: .syntax, message: "YAML syntax error: \(error)")
        }
        guard let root else {
            throw PolicyError(file: file, line: nil, kind: .syntax, message: "the policy file is empty")
        }
        return root
    }

    private func syntaxError(_ yamlError: YamlError) -> PolicyError {
        func make(_ mark: Mark?, _ message: String) -> PolicyError {
            PolicyError(file: file, line: mark?.line, kind: .syntax, message: message)
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text))" } ?? ""
            return make(mark, "YAML syntax error: \(problem)\(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return make(context.mark, "key \(keys) is given twice in the same mapping")
        case .reader(let problem, _, _, _):
            return make(nil, "the policy file is not readable text: \(problem)")
        default:
            return make(nil, "YAML syntax error: \(yamlError)")
        }
    }

    private func line(of node: Node) -> Int? { node.mark?.line }

    private func error(_ node: Node?, _ kind: PolicyError.Kind, _ message: String) -> PolicyError {
        PolicyError(file: file, line: node.flatMap(line(of:)), kind: kind, message: message)
    }

    /// An entry of a list of categories, recipients or rules: a mapping with an `id` and only
    /// the keys `allowed`; `shape` completes "each KIND must be a mapping with …". Gives the
    /// mapping, the id's node, the id, and how errors name the entry (`rule "invoice"`).
    private func entry(
        _ node: Node, _ kind: String, allowed: [String], shape: String
    ) throws(PolicyError) -> (Node.Mapping, Node, String, String) {
        guard case .mapping(let map) = node else {
            throw error(node, .invalidValue, "each \(kind) must be a mapping with \(shape)")
        }
        guard let idNode = map["id"] else { throw error(node, .missingKey, "a \(kind) has no \"id\"") }
        let id = try identifier(idNode, kind)
        let owner = "\(kind) \"\(id)\""
        try checkKeys(map, allowed: allowed, owner: owner)
        return (map, idNode, id, owner)
    }

    private func checkKeys(_ map: Node.Mapping, allowed: [String], owner: String) throws(PolicyError) {
        for (keyNode, _) in map {
            guard let key = keyNode.string, allowed.contains(key) else {
                let key = keyNode.string ?? "?"
                throw error(
                    keyNode, .unknownKey,
                    "\(owner) has unknown key \"\(key)\"" + Suggestion.hint(for: key, among: allowed))
            }
        }
    }

    private func scalar(_ node: Node, _ what: String) throws(PolicyError) -> String {
        guard case .scalar(let scalar) = node else {
            throw error(node, .invalidValue, "\(what) must be a single value, not a list or mapping")
        }
        return scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func strings(_ node: Node, _ what: String) throws(PolicyError) -> [String] {
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let list):
            guard !list.isEmpty else { throw error(node, .invalidValue, "\(what) must not be an empty list") }
            var result: [String] = []
            for item in list {
                guard case .scalar(let scalar) = item else {
                    throw error(item, .invalidValue, "\(what) must be a list of single values")
                }
                result.append(scalar.string)
            }
            return result
        default:
            throw error(node, .invalidValue, "\(what) must be a value or a list of values, not a mapping")
        }
    }

    private func bool(_ node: Node, _ what: String) throws(PolicyError) -> Bool {
        let text = try scalar(node, what)
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw error(node, .invalidValue, "\(what) must be true or false, not \"\(text)\"")
        }
    }

    private func identifier(_ node: Node, _ kind: String) throws(PolicyError) -> String {
        let id = try scalar(node, "the id of a \(kind)")
        guard Self.isKebabCase(id) else {
            throw error(
                node, .invalidID,
                "\(kind) id \"\(id)\" is not kebab-case (lower-case letters and digits joined by single hyphens, for example \"\(Self.kebabCased(id))\")"
            )
        }
        return id
    }

    private func domains(_ node: Node, _ key: String) throws(PolicyError) -> [String] {
        let list = try strings(node, "\"\(key)\"")
        for domain in list where domain.isEmpty || domain.contains("@") || domain.contains(" ") || !domain.contains(".")
        {
            throw error(
                node, .invalidValue, "\"\(key)\" has \"\(domain)\", which is not a domain such as \"example.de\"")
        }
        return list.map { $0.lowercased() }
    }

    /// Lower-case ASCII letters and digits in groups joined by single hyphens, starting with a letter.
    static func isKebabCase(_ text: some StringProtocol) -> Bool {
        guard let first = text.first, first.isASCII, first.isLowercase else { return false }
        var previousHyphen = false
        for c in text {
            if c == "-" {
                if previousHyphen { return false }
                previousHyphen = true
            } else if c.isASCII && (c.isLowercase || c.isNumber) {
                previousHyphen = false
            } else {
                return false
            }
        }
        return !previousHyphen
    }

    /// A kebab-case spelling of an invalid id, for the error message's example.
    static func kebabCased(_ text: String) -> String {
        var out = ""
        var previousLower = false
        for c in text {
            if c.isUppercase, previousLower { out += "-" }
            if c.isLetter || c.isNumber {
                out += c.lowercased()
                previousLower = c.isLowercase || c.isNumber
            } else {
                if !out.hasSuffix("-") { out += "-" }
                previousLower = false
            }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "my-category" : trimmed
    }
}
