import Foundation
import TestSupport
import Testing

/// What a cron job needs: a run of nothing is an error, and a quiet run prints nothing when all
/// is well (issue 14).
@Suite struct UnattendedRunTests {
    typealias Sandbox = PrivctlCommandTests.Sandbox

    @Test func aPathThatHoldsNoMailIsAnErrorUnlessAllowed() throws {
        let box = try Sandbox()
        let empty = box.dir.url.appendingPathComponent("mnt/backup")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try box.dir.write("mnt/backup/README.txt", "not mail\n")
        for arguments in [["classify"], ["expire"], ["apply"], ["erase", "--subject", "erna@gmx.de"], ["scrub", "--all"]] {
            let before = try box.eventCount()
            let refused = try box.run(arguments + [empty.path])
            #expect(try box.eventCount() == before, "\(arguments) recorded nothing")
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.stderr.hasPrefix("privctl: error: \(empty.path): holds no "), "\(arguments): \(refused.stderr)")
            #expect(refused.stderr.hasSuffix("nothing done (--allow-empty accepts that)\n"), "\(arguments)")
            let allowed = try box.run([arguments[0], "--allow-empty"] + arguments.dropFirst() + [empty.path])
            #expect(allowed.status == 0, "\(arguments): \(allowed.stderr)")
        }
        // A Maildir beside an empty path: nothing is done in either.
        let maildir = try box.makeMaildir()
        let before = try box.eventCount()
        #expect(try box.run(["classify", maildir, empty.path]).status == 1)
        #expect(try box.eventCount() == before)
    }

    @Test func quietCronRunsPrintNothingWhenAllIsWell() throws {
        let box = try Sandbox()
        let maildir = try box.makeMaildir()
        for arguments in [["classify", "--quiet"], ["expire", "--quiet"], ["apply", "--quiet"]] {
            let result = try box.run(arguments + [maildir])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
        }
    }
}
