/// The duty ends the classifier worked out for one message, by category index: a few inline
/// slots, so that classifying a message allocates nothing for them (a policy rarely has more
/// than four categories with a legal duty; more go to a dictionary).
struct DutyEndCache {
    private typealias Slot = (category: Int, end: RuleDecision.DutyEnd?)
    private var slots: (Slot?, Slot?, Slot?, Slot?) = (nil, nil, nil, nil)
    private var more: [Int: RuleDecision.DutyEnd?] = [:]

    /// The duty end recorded for a category: nil when none was recorded, `.some(nil)` when the
    /// category carries no duty for this message.
    subscript(category: Int) -> RuleDecision.DutyEnd?? {
        get {
            if let slot = slots.0, slot.category == category { return .some(slot.end) }
            if let slot = slots.1, slot.category == category { return .some(slot.end) }
            if let slot = slots.2, slot.category == category { return .some(slot.end) }
            if let slot = slots.3, slot.category == category { return .some(slot.end) }
            return more.isEmpty ? nil : more[category]
        }
        set {
            guard let value = newValue else { return }
            let slot: Slot = (category, value)
            if slots.0 == nil || slots.0?.category == category {
                slots.0 = slot
            } else if slots.1 == nil || slots.1?.category == category {
                slots.1 = slot
            } else if slots.2 == nil || slots.2?.category == category {
                slots.2 = slot
            } else if slots.3 == nil || slots.3?.category == category {
                slots.3 = slot
            } else {
                more[category] = value
            }
        }
    }
}
