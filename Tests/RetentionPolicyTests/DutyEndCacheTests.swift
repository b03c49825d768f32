import PrivacyEvents
import Testing

@testable import RetentionPolicy

/// The classifier's per-message store of duty ends: four inline slots, then a dictionary.
@Suite struct DutyEndCacheTests {
    @Test func keepsEveryCategoryPastTheInlineSlotsAndTellsNoDutyFromUnknown() {
        var cache = DutyEndCache()
        #expect(cache[0] == nil)
        for category in 0..<7 {
            cache[category] = category == 2 ? .some(nil) : .day(CalendarDay(year: 2030 + category, month: 12, day: 31))
        }
        for category in 0..<7 where category != 2 {
            #expect(cache[category] == .some(.day(CalendarDay(year: 2030 + category, month: 12, day: 31))))
        }
        #expect(cache[2] == .some(nil))  // known: no duty
        #expect(cache[7] == nil)  // not worked out yet
        cache[5] = .unlimited  // a later value replaces the earlier one
        cache[1] = .unlimited
        #expect(cache[5] == .some(.unlimited))
        #expect(cache[1] == .some(.unlimited))
    }
}
