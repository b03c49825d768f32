import Foundation
import PrivacyEvents
import RetentionPolicy

extension RetentionPolicy {
    /// What `policy check` prints for a good policy: the file, then each category's period, its
    /// start and what happens at its end.
    public func checkText(file: String) -> String {
        var text = "\(file): OK, \(counted(categories.count, "category", "categories")), \(counted(rules.count, "rule"))\n"
        for category in categories {
            text += "  \(pad(category.id, 22)) \(category.period) from \(category.start), then \(category.atEnd.rawValue)\n"
        }
        return text
    }

    /// `policy check --json`: one object with the keys file, rules (their number) and
    /// categories (id, period, from, duty, then, and reviewWithoutEvent where the policy sets it).
    public func json(file: String) -> String {
        var line = JSONLine()
        line.add("file", file)
        line.add("rules", rules.count)
        let objects = categories.map { category in
            var object = JSONLine()
            object.add("id", category.id)
            object.add("period", "\(category.period)")
            object.add("from", "\(category.start)")
            object.add("duty", category.duty)
            if let review = category.reviewWithoutEvent { object.add("reviewWithoutEvent", "\(review)") }
            object.add("then", category.atEnd.rawValue)
            return object.string
        }
        line.raw("categories", "[" + objects.joined(separator: ",") + "]")
        return line.string
    }
}
