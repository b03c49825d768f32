/// One compiled needle of a ``WordList`` (a pattern or its transliteration), as a range of the
/// list's folded needle bytes; ``WordListSet`` copies them into its own table.
struct WordNeedle: Sendable {
    var start: Int
    var end: Int
    /// Whether a letter must not come before (the pattern starts with a letter and no `*`).
    var boundedStart: Bool
    /// Whether a letter must not come after.
    var boundedEnd: Bool
    /// The needle's third byte when the text must have it two bytes after the start (no space
    /// before it), else 256: a quick test before the whole needle is compared (``WordListSet``).
    var third: UInt16
    /// The pattern's index in its list (``WordList``) or the list's index (``WordListSet``).
    var owner: Int

    /// Where the needle ends when it matches `text` at `index` with its word boundaries;
    /// `needleBytes` is the table its `start` and `end` point into.
    @inline(__always)
    func matchEnd(in text: UnsafeBufferPointer<UInt8>, at index: Int, needleBytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let bytes = UnsafeBufferPointer(rebasing: needleBytes[start..<end])
        guard let end = WordList.matchEnd(of: bytes, in: text, at: index) else { return nil }
        if boundedStart, WordList.letterBefore(index, in: text) { return nil }
        if boundedEnd, WordList.letterAt(end, in: text) { return nil }
        return end
    }
}
