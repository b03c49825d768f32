import PrivacyEvents

/// The rules that matched one message so far and which of them wins, by the order
/// ``RuleStrength`` defines: the first decisive rule; else the normal rule whose category's legal
/// duty lasts longest for this message (the earlier on a tie), or the first normal rule when no
/// category of theirs carries a duty; else the first weak rule.
///
/// The classifier adds matches in policy order. ``couldChange(with:dutyEnd:)`` tells it which
/// rules need not be evaluated at all, because no outcome of theirs could change the winner.
struct RuleDecision {
    /// When a category's legal duty ends for one message: a last day, or never (a duty
    /// category without a period).
    enum DutyEnd: Comparable {
        case day(CalendarDay)
        case unlimited
    }

    private struct Match {
        let index: Int
        let dutyEnd: DutyEnd?
    }

    /// The index of the winning rule, nil while none has matched.
    private(set) var winner: Int?
    private var winnerStrength: RuleStrength?
    private var winnerDutyEnd: DutyEnd?
    /// Every match, in policy order, kept only when the explanation lists them.
    private var matches: [Match] = []
    private let recordsMatches: Bool

    /// A decision with no match yet.
    /// - Parameter recordingMatches: keep every match for ``otherLines(_:categories:)``
    ///   (`--explain`); without it, only the winner is kept and nothing is allocated.
    init(recordingMatches: Bool) {
        self.recordsMatches = recordingMatches
    }

    /// Whether no later rule can change the winner: a decisive rule has matched.
    var isFinal: Bool { winnerStrength == .decisive }

    /// Whether a rule, if it matched, would win over the present winner.
    /// - Parameter dutyEnd: when the rule's category's duty ends for this message, nil when it
    ///   carries none; asked only when it matters.
    func couldChange(with rule: CompiledPolicy.Rule, dutyEnd: () -> DutyEnd?) -> Bool {
        guard let current = winnerStrength else { return true }
        switch (current, rule.rule.strength) {
        case (.decisive, _): return false
        case (_, .decisive): return true
        case (.weak, .normal): return true
        case (.weak, .weak), (.normal, .weak): return false
        case (.normal, .normal):
            // A normal rule without a duty never beats an earlier normal rule; one with a duty
            // beats a winner without one, or one whose duty ends earlier.
            guard let candidate = dutyEnd() else { return false }
            guard let winnerDutyEnd else { return true }
            return candidate > winnerDutyEnd
        }
    }

    /// Records that a rule matched, in policy order, and makes it the winner when it wins.
    mutating func add(_ index: Int, _ rule: CompiledPolicy.Rule, dutyEnd: DutyEnd?) {
        if recordsMatches { matches.append(Match(index: index, dutyEnd: dutyEnd)) }
        guard couldChange(with: rule, dutyEnd: { dutyEnd }) else { return }
        winner = index
        winnerStrength = rule.rule.strength
        winnerDutyEnd = dutyEnd
    }

    /// The explanation's lines after the winner's evidence: the other rules that matched and
    /// why the winner won over them (nothing when only one rule matched, or when the decision
    /// was not recording its matches).
    func otherLines(_ rules: [CompiledPolicy.Rule], categories: [CompiledPolicy.Category]) -> [String] {
        let others = matches.filter { $0.index != winner }
        guard !others.isEmpty else { return [] }
        var lines = others.map { match -> String in
            let rule = rules[match.index]
            var line = "also matched: rule \"\(rule.rule.id)\" (\(categories[rule.category].category.id)"
            switch rule.rule.strength {
            case .decisive: line += ", decisive"
            case .weak: line += ", weak"
            case .normal: break
            }
            switch match.dutyEnd {
            case .day(let day)?: line += ", duty until \(day)"
            case .unlimited?: line += ", duty without end"
            case nil: line += ", no duty"
            }
            return line + ")"
        }
        let otherNormals = others.filter { rules[$0.index].rule.strength == .normal }
        switch winnerStrength {
        case .decisive?: lines.append("decided by a decisive rule, which wins over every other")
        case .weak?: lines.append("decided by the first weak rule: no decisive or normal rule matched")
        case .normal?:
            if otherNormals.isEmpty {
                lines.append("decided by the only normal rule that matched: weak rules decide only when no other rule matches")
            } else if let winnerDutyEnd {
                lines.append(
                    otherNormals.contains { $0.dutyEnd == winnerDutyEnd }
                        ? "decided by the longest legal retention duty among the normal rules that matched (a tie, so the earlier rule in the policy)"
                        : "decided by the longest legal retention duty among the normal rules that matched")
            } else {
                lines.append("decided by policy order: no normal rule that matched carries a legal duty")
            }
        case nil: break
        }
        return lines
    }
}
