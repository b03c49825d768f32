import Foundation
import TestSupport
import Testing

/// Whether a real Dovecot can be started here (CI installs it; .ci/run runs as root).
let dovecotAvailable = FileManager.default.isExecutableFile(atPath: "/usr/sbin/dovecot") && getuid() == 0
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

/// privctl erase against a real Dovecot serving the Maildir over IMAP (Debian's dovecot-imapd,
/// started here with a throw-away configuration on a loopback port).
@Suite(.enabled(if: dovecotAvailable, "needs dovecot (apt-get install dovecot-imapd), python3 and root"))
struct DovecotTests {
    /// A Dovecot over a Maildir in a temporary directory.
    final class Server {
        let dir: TemporaryDirectory
        let port: Int
        private var master: RunningProcess?
        var maildir: String { dir.url.appendingPathComponent("Maildir").path }
        var config: String { dir.url.appendingPathComponent("dovecot.conf").path }

        init(messages: [String: String]) throws {
            dir = try TemporaryDirectory()
            port = Int.random(in: 20_000..<60_000)
            for (name, text) in messages { try dir.write("Maildir/cur/" + name, text) }
            try dir.mkdir("Maildir/new")
            try dir.mkdir("Maildir/tmp")
            try dir.mkdir("home")
            try dir.mkdir("run")
            let base = dir.url.path
            try dir.write("dovecot.conf", """
                base_dir = \(base)/run
                log_path = \(base)/dovecot.log
                protocols = imap
                listen = 127.0.0.1
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain
                first_valid_uid = 1
                default_login_user = dovenull
                default_internal_user = dovecot
                mail_location = maildir:\(base)/Maildir
                passdb {
                  driver = static
                  args = password=secret
                }
                userdb {
                  driver = static
                  args = uid=nobody gid=nogroup home=\(base)/home
                }
                service imap-login {
                  chroot =
                  inet_listener imap {
                    address = 127.0.0.1
                    port = \(port)
                  }
                }
                service anvil {
                  chroot =
                }

                """)
            chmod(base, 0o755)
            try ChildProcess.check("/bin/chown", ["-R", "nobody:nogroup", maildir, base + "/home"])
            // In the foreground, as a child of the test, so that stop() can end it and its children.
            master = try ChildProcess.start("/usr/sbin/dovecot", ["-F", "-c", config])
            // Wait for the listener.
            for _ in 0..<50 {
                if (try? imap("select")) != nil { return }
                Thread.sleep(forTimeInterval: 0.1)
            }
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "dovecot did not start: " + log])
        }

        var log: String { (try? String(contentsOfFile: dir.url.path + "/dovecot.log", encoding: .utf8)) ?? "" }

        /// Kills the master's children (auth, imap, log, …), then the master: a polite SIGTERM
        /// can keep Dovecot waiting for idle processes for minutes.
        func stop() {
            guard let master, master.isRunning else { return }
            let pid = master.pid
            let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            for entry in processes {
                guard let child = Int32(entry),
                    let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { continue }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 1, Int32(fields[1]) == pid { kill(child, SIGKILL) }
            }
            master.signal(SIGKILL)
            master.wait()
        }

        /// Runs an IMAP session with Python's imaplib; returns what the script prints.
        func imap(_ command: String, _ argument: String = "") throws -> String {
            let script = """
                import imaplib, sys
                m = imaplib.IMAP4('127.0.0.1', \(port))
                m.login('anna', 'secret')
                typ, data = m.select('INBOX')
                assert typ == 'OK', data
                cmd, arg = sys.argv[1], sys.argv[2]
                if cmd == 'select':
                    print(data[0].decode())
                elif cmd == 'search':
                    typ, data = m.search(None, *arg.split(' ', 1))
                    print(data[0].decode())
                elif cmd == 'envelope':
                    typ, data = m.fetch('1:*', '(ENVELOPE)')
                    assert typ == 'OK', data
                    print(len(data))
                elif cmd == 'fetch':
                    typ, data = m.fetch('1:*', '(BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])')
                    assert typ == 'OK', data
                    print(sum(1 for d in data if isinstance(d, tuple)))
                m.logout()
                """
            return try ChildProcess.check("/usr/bin/python3", ["-c", script, command, argument]).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    static let messages: [String: String] = [
        "1700000000.M1P1.mx:2,S": "From: Alice <alice@example.org>\r\nTo: ops@example.com\r\nSubject: Anfrage\r\nDate: Mon, 02 Nov 2026 08:00:00 +0000\r\nMessage-ID: <a1@example.org>\r\n\r\nHallo, eine Frage.\r\n",
        "1700000001.M2P2.mx:2,S": "From: Bob <bob@gmx.de>\r\nTo: ops@example.com\r\nSubject: Hallo\r\nDate: Mon, 02 Nov 2026 08:00:00 +0000\r\nMessage-ID: <b1@example.net>\r\n\r\nSchreib alice@example.org doch selbst.\r\n",
        "1700000002.M3P3.mx:2,S": "From: Carol <carol@example.net>\r\nTo: ops@example.com\r\nSubject: Bleibt\r\nDate: Mon, 02 Nov 2026 08:00:00 +0000\r\nMessage-ID: <c1@example.net>\r\n\r\nNichts von ihr.\r\n",
    ]

    @Test func afterEraseImapFindsNothingAndServesTheRest() throws {
        let server = try Server(messages: Self.messages)
        defer { server.stop() }
        #expect(try server.imap("select") == "3")
        #expect(try server.imap("search", "FROM alice@example.org") == "1")
        #expect(try server.imap("search", "TEXT alice@example.org").split(separator: " ").count == 2)
        // Fetching headers fills Dovecot's header cache with alice's address.
        #expect(try server.imap("fetch") == "3")

        let box = try PrivctlCommandTests.Sandbox()
        let erased = try box.run(["erase", "--subject", "alice@example.org", server.maildir])
        #expect(erased.status == 0, "\(erased.stdout)\(erased.stderr)")
        #expect(erased.stdout.contains("2 erased"))
        // The header cache still holds the expunged message's From: privctl says so and how to clear it.
        #expect(erased.stdout.contains("dovecot.index.cache"))

        #expect(try server.imap("select") == "1")
        #expect(try server.imap("search", "FROM alice@example.org") == "")
        #expect(try server.imap("search", "TEXT alice@example.org") == "")
        #expect(try server.imap("fetch") == "1")
        #expect(!server.log.contains("Error"), "\(server.log)")

        // --purge-caches clears the residue; Dovecot rebuilds its cache without complaint.
        let purged = try box.run(["erase", "--purge-caches", "--subject", "alice@example.org", server.maildir])
        #expect(purged.status == 0)
        let cache = server.maildir + "/dovecot.index.cache"
        let cacheBytes = FileManager.default.contents(atPath: cache) ?? Data()
        #expect(!String(decoding: cacheBytes, as: UTF8.self).contains("alice@example.org"))
        #expect(try server.imap("fetch") == "1")
        #expect(!server.log.contains("Error"), "\(server.log)")
    }

    /// A client that fetched only ENVELOPE (as many do for a message list): Dovecot 2.3 caches
    /// the header fields the envelope is built from (older versions and other settings cache
    /// the envelope itself, the address split in two, `"alice" "example.org"`, which privctl
    /// finds too: AddressScannerTests). Found, named with the doveadm command, and purged by a
    /// later run that finds no message of hers any more.
    @Test func anEnvelopeOnlyCacheIsFoundAndPurged() throws {
        let server = try Server(messages: Self.messages)
        defer { server.stop() }
        #expect(try server.imap("envelope") == "3")
        let cache = server.maildir + "/dovecot.index.cache"
        let cached = String(decoding: FileManager.default.contents(atPath: cache) ?? Data(), as: UTF8.self)
        #expect(cached.contains("alice@example.org"))

        let box = try PrivctlCommandTests.Sandbox()
        let erased = try box.run(["erase", "--subject", "alice@example.org", server.maildir])
        #expect(erased.status == 0, "\(erased.stdout)\(erased.stderr)")
        #expect(erased.stdout.contains("\(cache): Dovecot's index still holds the address"), "\(erased.stdout)")
        #expect(erased.stdout.contains("doveadm force-resync"))

        let purged = try box.run(["erase", "--purge-caches", "--subject", "alice@example.org", server.maildir])
        #expect(purged.status == 0)
        #expect(purged.stdout.contains("\(cache): held the address in Dovecot's header cache; deleted"))
        let after = String(decoding: FileManager.default.contents(atPath: cache) ?? Data(), as: UTF8.self)
        #expect(!after.contains("alice@example.org") && !after.contains("\"alice\" \"example.org\""))
        #expect(try server.imap("envelope") == "1")
        #expect(!server.log.contains("Error"), "\(server.log)")
    }
}
