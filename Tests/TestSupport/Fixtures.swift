import Foundation

/// The project's own test files in `Tests/Fixtures/`, located from this source file (the tests
/// run from the checkout they were built from). See `Tests/Fixtures/README.md` for what each
/// file is for.
public enum Fixtures {
    /// `Tests/Fixtures` (links resolved: the stores refuse to follow links on the way).
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures").resolvingSymlinksInPath()

    /// The URL of a fixture, path relative to `Tests/Fixtures` (e.g. `mail/bom.eml`).
    public static func url(_ path: String) -> URL { folder.appendingPathComponent(path) }

    /// The bytes of a fixture.
    public static func bytes(_ path: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: url(path)))
    }

    /// The fixture files under `subfolder` (relative paths, sorted), e.g. every `mail/*.eml`.
    public static func files(in subfolder: String, withSuffix suffix: String = "") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(subfolder).path)) ?? []
        return names.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }.sorted().map { subfolder + "/" + $0 }
    }
}

/// The folder other projects share beside this one (`../shared`: a mail corpus under `corpus/`
/// and `tools/mail-oracle.py`). A user's clone does not have it: the tests that need it live in
/// one suite, `Tests/SharedCorpusTests`, which is skipped (and says why, once) without it.
///
/// `PRIVCTL_SHARED_DIR` overrides where it is: a path, or empty or `none` to hide it (CI runs
/// the suite once that way, as a fresh clone would).
public enum SharedFolder {
    /// Where the folder is looked for, or nil when the environment hides it.
    public static let location: URL? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        switch ProcessInfo.processInfo.environment["PRIVCTL_SHARED_DIR"] {
        case nil: return root.appendingPathComponent("../shared").standardizedFileURL
        case "", "none": return nil
        case let path?: return URL(fileURLWithPath: path).standardizedFileURL
        }
    }()

    /// The folder, when it is there (with its `corpus/`).
    public static let url: URL? = {
        guard let location = location?.resolvingSymlinksInPath() else { return nil }
        var isDirectory: ObjCBool = false
        let corpus = location.appendingPathComponent("corpus").path
        guard FileManager.default.fileExists(atPath: corpus, isDirectory: &isDirectory), isDirectory.boolValue else {
            return nil
        }
        return location
    }()

    /// `corpus/` inside the folder.
    public static var corpus: URL? { url?.appendingPathComponent("corpus") }

    /// Why the tests that need the folder are skipped, in one sentence.
    public static var absenceReason: String {
        guard let location else { return "PRIVCTL_SHARED_DIR hides the shared corpus" }
        return "no shared corpus at \(location.path) (set PRIVCTL_SHARED_DIR to its folder)"
    }

    /// Whether the folder is there.
    public static var isAvailable: Bool { url != nil }
}
