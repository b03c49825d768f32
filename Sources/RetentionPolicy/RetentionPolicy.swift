import PrivacyEvents

/// A retention policy: the deletion concept (Löschkonzept after DIN 66398) of one mail operator,
/// as data categories with their periods and the rules that put each message in a category.
///
/// Load one with ``init(yaml:file:)`` or ``init(contentsOf:)``, or use ``builtIn``, the default
/// for a German business mail store, whose source ``builtInYAML`` is the commented example of
/// the schema (`privctl policy show` prints it for users to copy and edit).
///
/// ## Schema
///
/// A policy file is a YAML mapping (keys are kebab-case; unknown keys are errors, with a
/// suggestion when a known key is close):
///
/// - `version`: `1`.
/// - `name`: a title for the policy.
/// - `own-domains`: the operator's own mail domains; mail among them is internal.
/// - `private-mail-domains`: domains of private mail providers (gmail.com, web.de, …); a
///   counterpart there is a private person, anywhere else a business.
/// - `fallback`: the category of a message that no rule matches (default `unclassified`).
/// - `vocabulary`: named word lists to define once as YAML anchors (`&accounting-words`) and
///   reuse in rules as aliases (`*accounting-words`); not read otherwise.
/// - `categories`: the data categories ("Datenarten"), in order. Each has
///   - `id` (kebab-case, stable: it is recorded in the ledger), `title`, `purpose`;
///   - `basis`: the GDPR Art. 6(1) letter, written `art6-1-c`, `Art. 6(1)(c)` or `c`;
///   - `law`: the statute that imposes or allows retention (optional);
///   - `start`: where the period begins ("Startzeitpunkt"): `message-date`, `end-of-year`
///     (the end of the calendar year of the message, AO §147(4), HGB §257(5)) or `event:NAME`
///     (the day of a named event such as `event:application-decision`; the message day while
///     it is unknown);
///   - `period`: the standard period ("Regellöschfrist"): `none`, or numbers with units
///     `years`, `months`, `weeks`, `days` (German `Jahre`, `Monate`, `Wochen`, `Tage` too),
///     for example `8 years` or `1 year 6 months`;
///   - `duty`: `true` when a legal retention duty applies (the message must then be kept until
///     the period ends), else `false`;
///   - `at-end`: `erase` or `review`;
///   - `backup-period`: how long copies remain in backups after erasure (optional).
/// - `rules`: the classification rules, all evaluated; when several match, ``RuleStrength``
///   decides (a decisive rule, else the longest legal duty, else policy order, else a weak
///   rule). Each has `id`, `category`, `why`, optionally `decisive: true` or `weak: true`, and
///   at least one of `all` (every condition holds), `any` (one holds) and `none` (exceptions: no
///   condition holds). A condition is a mapping with one of:
///   - `header: NAME`, alone (the field is present) or with one of `is`, `is-not`,
///     `starts-with`, `contains` and a list of values (compared case-insensitively, up to `;`);
///   - `from` (From, Sender) / `to` (To, Cc, Bcc): address patterns: `root@`, `@example.com`,
///     `*noreply*`, `a@b.de`;
///   - `subject`, `body`, `attachment` (file names): words and phrases matched at word
///     boundaries, case-insensitively, umlaut-aware; `rechnung*` also matches "Rechnungsnr",
///     `*rechnung` also "Stromrechnung" (see ``WordList``); the body is decoded only when a
///     rule with `body` is reached;
///   - `attachment-type`: media types of any MIME part, `application/pdf`, `multipart/report`,
///     `image/*`;
///   - `folder`: store folder names (Maildir++ names without the leading dot), `Junk`, `Archiv*`;
///   - `sent: true|false`, `reply: true|false`, `counterpart: business|private|internal` (the
///     recipients of mail we wrote, else the senders).
///
/// Values that take a list also take a single value.
public struct RetentionPolicy: Sendable {
    /// A title for the policy.
    public let name: String
    /// The data categories, in file order.
    public let categories: [RetentionCategory]
    /// The classification rules, in the order they are tried.
    public let rules: [RetentionRule]
    /// The operator's own mail domains (lower-cased).
    public let ownDomains: [String]
    /// Domains of private mail providers (lower-cased).
    public let privateMailDomains: [String]
    /// The category of messages that no rule matches.
    public let fallbackCategory: String
    /// The register of recipients (processors and third parties), in file order. Not part of
    /// the fingerprint: it decides transfers, not categories.
    public let recipients: [PolicyRecipient]
    /// A stable 64-bit FNV-1a hash (16 hex digits) of the policy's canonical content: every
    /// category and rule field in order, but not comments, layout or key order. It changes
    /// exactly when the policy means something else, so the ledger can record which policy
    /// classified a message and the pipeline can tell that classifications are stale.
    public let fingerprint: String

    private let categoryIndex: [String: Int]

    /// A policy from its parts; checks what the loader checks about references between them.
    /// - Throws: ``PolicyError`` (file "<code>") for duplicate ids, a rule or fallback that
    ///   names an unknown category, or a duty without a period.
    public init(
        name: String, categories: [RetentionCategory], rules: [RetentionRule], ownDomains: [String] = [],
        privateMailDomains: [String] = [], fallbackCategory: String, recipients: [PolicyRecipient] = []
    ) throws(PolicyError) {
        func fail(_ kind: PolicyError.Kind, _ message: String) -> PolicyError {
            PolicyError(file: "<code>", line: nil, kind: kind, message: message)
        }
        var index: [String: Int] = [:]
        for (position, category) in categories.enumerated() {
            guard index[category.id] == nil else {
                throw fail(.duplicateID, "category id \"\(category.id)\" is used twice")
            }
            if category.duty && category.period.isUnlimited {
                throw fail(.invalidValue, "category \"\(category.id)\" has a retention duty but no period")
            }
            index[category.id] = position
        }
        var ruleIDs: Set<String> = []
        for rule in rules {
            guard ruleIDs.insert(rule.id).inserted else {
                throw fail(.duplicateID, "rule id \"\(rule.id)\" is used twice")
            }
            guard index[rule.category] != nil else {
                throw fail(.unknownCategory, "rule \"\(rule.id)\" refers to unknown category \"\(rule.category)\"")
            }
        }
        guard index[fallbackCategory] != nil else {
            throw fail(.unknownCategory, "fallback refers to unknown category \"\(fallbackCategory)\"")
        }
        var recipientIDs: Set<String> = []
        for recipient in recipients {
            guard recipientIDs.insert(recipient.id).inserted else {
                throw fail(.duplicateID, "recipient id \"\(recipient.id)\" is used twice")
            }
            for category in recipient.categories where index[category] == nil {
                throw fail(.unknownCategory, "recipient \"\(recipient.id)\" refers to unknown category \"\(category)\"")
            }
        }
        self.recipients = recipients
        self.name = name
        self.categories = categories
        self.rules = rules
        self.ownDomains = ownDomains.map { $0.lowercased() }
        self.privateMailDomains = privateMailDomains.map { $0.lowercased() }
        self.fallbackCategory = fallbackCategory
        self.categoryIndex = index
        self.fingerprint = RetentionPolicy.fnv1a64Hex(
            RetentionPolicy.canonicalContent(
                name: name, categories: categories, rules: rules, ownDomains: self.ownDomains,
                privateMailDomains: self.privateMailDomains, fallback: fallbackCategory))
    }

    /// The category with this id, or nil.
    public func category(_ id: String) -> RetentionCategory? {
        categoryIndex[id].map { categories[$0] }
    }

    /// The registered recipient that owns `domain` (or a parent of it), if any.
    public func recipient(forDomain domain: String) -> PolicyRecipient? {
        let lower = domain.lowercased()
        return recipients.first { $0.owns(domain: lower) }
    }

    /// The rule with this id, or nil.
    public func rule(_ id: String) -> RetentionRule? { rules.first { $0.id == id } }

    /// The policy's content as one text, one record per line, fields separated by U+001F.
    static func canonicalContent(
        name: String, categories: [RetentionCategory], rules: [RetentionRule], ownDomains: [String],
        privateMailDomains: [String], fallback: String
    ) -> String {
        let separator = "\u{1F}"
        func record(_ fields: [String]) -> String { fields.joined(separator: separator) + "\n" }
        func conditions(_ list: [RuleCondition]) -> String { list.map(\.description).joined(separator: " & ") }
        var text = record(["privctl-policy", "1", name])
        text += record(["own-domains"] + ownDomains)
        text += record(["private-mail-domains"] + privateMailDomains)
        text += record(["fallback", fallback])
        for c in categories {
            text += record([
                "category", c.id, c.title, c.purpose, c.legalBasis.lawfulBasis.rawValue,
                c.legalBasis.retentionLaw ?? "",
                c.start.description, c.period.description, c.duty ? "duty" : "no-duty", c.atEnd.rawValue,
                c.backupPeriod?.description ?? "",
            ] + (c.reviewWithoutEvent.map { ["review-without-event", $0.description] } ?? []))
        }
        for r in rules {
            var fields = ["rule", r.id, r.category, r.why, conditions(r.all), conditions(r.any), conditions(r.none)]
            // Only a strength other than the default is written, so that the fingerprints of
            // policies written before strengths existed stay what they were.
            if r.strength != .normal { fields.append(r.strength.rawValue) }
            text += record(fields)
        }
        return text
    }

    /// 64-bit FNV-1a over the UTF-8 bytes, as 16 lower-case hex digits.
    static func fnv1a64Hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
