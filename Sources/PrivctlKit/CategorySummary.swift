import PrivacyEvents
import SQLiteLedger

/// Totals for one retention category over a run.
public struct CategorySummary: Sendable, Codable {
    public var category: String
    public var messages: Int = 0
    public var bytes: Int = 0
    /// The earliest message day.
    public var oldest: CalendarDay?
    /// Messages past their retention period on the evaluation day.
    public var due: Int = 0

    public init(category: String) { self.category = category }

    /// Adds one message.
    public mutating func add(_ message: ClassifiedMessage, on day: CalendarDay) {
        messages += 1
        bytes += message.size
        if oldest.map({ message.messageDay < $0 }) ?? true { oldest = message.messageDay }
        if message.isDue(on: day) { due += 1 }
    }

    /// Adds a folder's totals for this category, as the scan index counted them.
    mutating func add(_ count: MessageIndex.CategoryCount) {
        messages += count.messages
        bytes += count.bytes
        if oldest.map({ count.oldest < $0 }) ?? true { oldest = count.oldest }
        due += count.due
    }
}
