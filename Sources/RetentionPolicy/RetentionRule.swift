/// A classification rule: when a message meets the rule's conditions, it is evidence that the
/// message belongs to the rule's category. Every rule is evaluated; when several match,
/// ``Classifier`` decides by the rules' ``strength`` and the categories' legal duties (see
/// ``RuleStrength``).
///
/// A rule matches when every condition in ``all`` holds, at least one in ``any`` holds (if there
/// are any), and none in ``none`` holds. ``none`` carries the exceptions a careful operator
/// writes down: a mailing-list message is a newsletter unless it has an invoice attached.
public struct RetentionRule: Hashable, Sendable, Identifiable {
    /// Stable kebab-case identifier, shown in explanations and recorded with each classification.
    public var id: String
    /// The id of the category a matching message belongs to.
    public var category: String
    /// Why a message that matches belongs to the category, for a person reading `--explain`.
    public var why: String
    /// Conditions that must all hold.
    public var all: [RuleCondition]
    /// Alternatives of which one must hold (ignored when empty).
    public var any: [RuleCondition]
    /// Exceptions: conditions of which none may hold.
    public var none: [RuleCondition]
    /// How the rule weighs against other matching rules.
    public var strength: RuleStrength
    /// The line of the rule in its policy file, for explanations; not part of the policy content.
    public var line: Int?

    public init(
        id: String, category: String, why: String, all: [RuleCondition] = [], any: [RuleCondition] = [],
        none: [RuleCondition] = [], strength: RuleStrength = .normal, line: Int? = nil
    ) {
        self.id = id
        self.category = category
        self.why = why
        self.all = all
        self.any = any
        self.none = none
        self.strength = strength
        self.line = line
    }
}

/// How a matching rule weighs against the other rules that match the same message.
///
/// The decision, in this order:
/// 1. the first matching ``decisive`` rule wins (a spam verdict, a folder the user chose);
/// 2. else, among the matching ``normal`` rules: when some of their categories carry a legal
///    retention duty, the one whose duty lasts longest for this message wins (the rule earlier in
///    the policy on a tie), so that no document with a duty is erased because another rule also
///    matched; when none carries a duty, the first matching rule wins;
/// 3. else the first matching ``weak`` rule (a presumption from circumstances such as a role
///    address: mail to `jobs@` is probably an application, but an invoice sent there is an
///    invoice);
/// 4. else the policy's fallback category.
public enum RuleStrength: String, Hashable, Sendable, CaseIterable {
    /// Wins over every other rule (`decisive: true` in a policy file).
    case decisive
    /// Weighed by legal duty against the other normal rules (the default).
    case normal
    /// Decides only when no decisive or normal rule matches (`weak: true`).
    case weak
}
