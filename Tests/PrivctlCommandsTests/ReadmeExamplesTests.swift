import Foundation
import TestSupport
import Testing

/// The README's "Running unattended" section as an operator copies it: the set-up block, the
/// crontab lines and the systemd `ExecStart` line run here, with every path moved into a
/// temporary directory. A README that drifts from what privctl accepts fails here.
@Suite struct ReadmeExamplesTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../README.md").standardizedFileURL

    /// The section's text, from its heading to the next one.
    static func section() throws -> String {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "### Running unattended\n"))
        let end = text.range(of: "\n### ", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
        return String(text[start.upperBound..<end])
    }

    @Test func theSetUpCrontabAndUnitRunAsWritten() throws {
        let section = try Self.section()
        let setUp = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        let cron = section.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: #"^\d+ \d+ \* \* \* root "#, options: .regularExpression) else { return nil }
            return String(line[range.upperBound...])
        }
        let units = section.split(separator: "\n").filter { $0.hasPrefix("ExecStart=") }.map { String($0.dropFirst("ExecStart=".count)) }
        #expect(cron.count == 3)
        #expect(units.count == 1)

        let dir = try TemporaryDirectory()
        let root = dir.url.path
        try dir.write("var/mail/erna", "From erna@gmx.de Sat Nov 14 19:30:00 2026\n" + SampleMail.personal(from: "erna@gmx.de") + "\n")
        try dir.write("home/anna/Maildir/cur/1551777300.M1P1.mx:2,S", SampleMail.invoice(number: 1))
        try dir.write("home/anna/Maildir/cur/1794128400.M2P2.mx:2,S", SampleMail.newsletter(n: 1))
        try dir.mkdir("home/anna/Maildir/new")
        try dir.mkdir("home/anna/Maildir/tmp")
        try dir.mkdir("srv/backups")
        try ChildProcess.check(["tar", "-czf", root + "/srv/backups/host-2026-12-01.tar.gz", "-C", root + "/home", "anna"])

        /// The text with every path an operator would use moved under the temporary directory.
        func moved(_ text: String) -> String {
            var text = text.replacingOccurrences(of: "/usr/local/bin/privctl", with: "privctl")
            for path in ["/etc/privctl", "/var/lib/privctl", "/var/lib/node_exporter", "/var/mail", "/home", "/srv/backups"] {
                text = text.replacingOccurrences(of: path, with: root + path)
            }
            return text
        }
        let environment: [String: String?] = [
            "PATH": PrivctlCommandTests.executable.deletingLastPathComponent().path + ":/usr/bin:/bin",
            "HOME": root + "/root", "XDG_CONFIG_HOME": nil, "XDG_DATA_HOME": nil, "PRIVCTL_LEDGER": nil, "PRIVCTL_KEY": nil,
            "PRIVCTL_POLICY": nil, "PRIVCTL_STATE_DIR": nil, "PRIVCTL_HOST": "mx1",
            "PRIVCTL_CONFIG": root + "/etc/privctl/privctl.conf",
        ]
        // PRIVCTL_CONFIG stands for /etc/privctl/privctl.conf here, and a file it names must
        // exist (a typo is an error); the default path may be absent. The block overwrites it.
        try dir.write("etc/privctl/privctl.conf", "")
        let setUpRun = try ChildProcess.run("/bin/sh", ["-ec", moved(setUp)], environment: environment)
        #expect(setUpRun.status == 0, "\(setUpRun.output)")
        #expect(setUpRun.stdout.contains("from \(root)/etc/privctl/privctl.conf line 2"), "\(setUpRun.stdout)")
        #expect(FileManager.default.fileExists(atPath: root + "/var/lib/privctl/ledger.sqlite"))

        for command in cron + units {
            let result = try ChildProcess.run("/bin/sh", ["-c", moved(command)], environment: environment)
            #expect(result.status == 0, "\(command): \(result.output)")
            #expect(result.stderr.isEmpty, "a quiet run that did everything says nothing: \(command): \(result.stderr)")
        }
        for metrics in ["privctl-expire.prom", "privctl-scrub.prom"] {
            let text = try String(contentsOfFile: root + "/var/lib/node_exporter/textfile/" + metrics, encoding: .utf8)
            #expect(text.contains("_last_success_timestamp_seconds "), "\(metrics)")
        }
    }
}
