/// A classification rule: when a message meets the rule's conditions, it belongs to the rule's
/// category. Rules are tried in file order and the first that matches wins.
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
    /// The line of the rule in its policy file, for explanations; not part of the policy content.
    public var line: Int?

    public init(
        id: String, category: String, why: String, all: [RuleCondition] = [], any: [RuleCondition] = [],
        none: [RuleCondition] = [], line: Int? = nil
    ) {
        self.id = id
        self.category = category
        self.why = why
        self.all = all
        self.any = any
        self.none = none
        self.line = line
    }
}
