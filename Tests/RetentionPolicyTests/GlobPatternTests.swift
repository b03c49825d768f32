import Testing

@testable import RetentionPolicy

@Suite struct GlobPatternTests {
    @Test func globs() {
        #expect(GlobPattern("Junk").matches("junk"))
        #expect(!GlobPattern("Junk").matches("junk2"))
        #expect(GlobPattern("Archiv*").matches("Archive"))
        #expect(GlobPattern("*2019").matches("archive.2019"))
        #expect(GlobPattern("a*b*c").matches("aXXbYYc"))
        #expect(!GlobPattern("a*b*c").matches("aXXcYYb"))
        #expect(GlobPattern("image/*").matches("image/png"))
        #expect(!GlobPattern("image/*").matches("application/pdf"))
        #expect(GlobPattern("*").matches(""))
        #expect(GlobPattern("ab*ab").matches("abab"))
        #expect(!GlobPattern("ab*ab").matches("aba"))
    }
}
