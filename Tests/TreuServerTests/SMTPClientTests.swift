import Foundation
import Testing
import TreuDelivery
import TreuTestSupport

/// Treu's SMTP client against aiosmtpd on loopback: STARTTLS and TLS from the start, with the
/// server's certificate as the trusted CA, AUTH, refusals and timeouts.
@Suite("The SMTP client")
struct SMTPClientTests {
    static func letter(to: String = "anna@example.de") -> MailMessage {
        MailMessage(from: MailAddress(name: "Café Linh", address: "loyalty@cafe-linh.example"), to: MailAddress(address: to),
                    subject: "Ihre Prämie: Gratis-Kaffee – „jetzt“", text: ".a line that starts with a dot\nHallo", html: "<p>Hallo</p>",
                    messageID: "\(UUID().uuidString.lowercased())@cafe-linh.example", date: Date())
    }

    @Test func startTLSWithAUTHSendsSeveralMessagesOnOneConnection() async throws {
        let server = try SMTPReceiver(security: .startTLS, auth: ("shop", "s3cret"))
        let settings = try SMTPSettings(url: "smtp://shop:s3cret@127.0.0.1:\(server.port)?ca=\(try #require(server.certificate))")
        #expect(settings.security == .startTLS)
        try await SMTPConnection.with(settings) { connection in
            try await connection.send(Self.letter())
            try await connection.send(Self.letter(to: "ben@example.com"))
        }
        let got = try await server.waitFor(2)
        #expect(got.count == 2)
        #expect(got.allSatisfy { $0.tls && $0.authenticated })
        #expect(got[0].subject == "Ihre Prämie: Gratis-Kaffee – „jetzt“")
        #expect(got[0].part("text/plain")?.content.hasPrefix(".a line that starts with a dot") == true, "dot-stuffing undone by the server")
    }

    @Test func implicitTLSAndAWrongPasswordAndAnUntrustedCertificate() async throws {
        let server = try SMTPReceiver(security: .implicitTLS, auth: ("shop", "s3cret"))
        let ca = try #require(server.certificate)
        try await SMTPConnection.with(try SMTPSettings(url: "smtps://shop:s3cret@127.0.0.1:\(server.port)?ca=\(ca)")) { connection in
            try await connection.send(Self.letter())
        }
        #expect(try await server.waitFor(1).first?.tls == true)
        do {
            try await SMTPConnection.with(try SMTPSettings(url: "smtps://shop:wrong@127.0.0.1:\(server.port)?ca=\(ca)")) { _ in }
            Issue.record("signed in with a wrong password")
        } catch let error as SMTPError {
            #expect(error.code == 535 && !error.transient, "\(error)")
        }
        // Without the CA the self-signed certificate is not trusted.
        await #expect(throws: (any Error).self) {
            try await SMTPConnection.with(try SMTPSettings(url: "smtps://shop:s3cret@127.0.0.1:\(server.port)")) { _ in }
        }
    }

    @Test func refusalsAreTransientOrNotByTheirCodeAndTheSessionGoesOn() async throws {
        let server = try SMTPReceiver()
        try await SMTPConnection.with(try SMTPSettings(url: "smtp://127.0.0.1:\(server.port)?tls=none")) { connection in
            await #expect(throws: SMTPError("451 4.3.0 try again later (after RCPT TO)", transient: true, code: 451)) {
                try await connection.send(Self.letter(to: "x+defer@example.com"))
            }
            await #expect(throws: SMTPError("550 5.1.1 mailbox unavailable (after RCPT TO)", transient: false, code: 550)) {
                try await connection.send(Self.letter(to: "x+reject@example.com"))
            }
            try await connection.send(Self.letter())
        }
        #expect(try await server.waitFor(1).count == 1)
    }

    @Test func aServerThatDoesNotAnswerTimesOutAndOneThatIsNotThereIsRefused() async throws {
        // A socket that accepts and never speaks.
        // Closed once, below (a second close could take a descriptor another test's socket holds by then).
        let silent = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(silent, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(silent, 4)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(silent, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        do {
            try await SMTPConnection.with(try SMTPSettings(url: "smtp://127.0.0.1:\(port)?tls=none&timeout=1")) { _ in }
            Issue.record("a silent server was taken for one that greets")
        } catch let error as SMTPError {
            #expect(error.transient && error.code == nil && error.description.contains("did not answer"), "\(error)")
        }
        close(silent)
        do {
            try await SMTPConnection.with(try SMTPSettings(url: "smtp://127.0.0.1:\(port)?tls=none&timeout=1")) { _ in }
            Issue.record("connected to nothing")
        } catch let error as SMTPError {
            #expect(error.transient && error.description.hasPrefix("could not connect"), "\(error)")
        }
    }

    @Test func settingsAreReadFromOneURLAndAPasswordIsNeverSentInClear() throws {
        let plain = try SMTPSettings(url: "smtp://mail.example.com")
        #expect(plain.port == 587 && plain.security == .startTLS)
        #expect(try SMTPSettings(url: "smtps://u:p%40ss@mail.example.com").password == "p@ss")
        #expect(try SMTPSettings(url: "smtps://mail.example.com").port == 465)
        #expect(throws: SMTPSettingsError.self) { try SMTPSettings(url: "smtp://u:p@mail.example.com?tls=none") }
        #expect(throws: SMTPSettingsError.self) { try SMTPSettings(url: "http://mail.example.com") }
        #expect(throws: SMTPSettingsError.self) { try SMTPSettings(url: "smtp://mail.example.com?colour=blue") }
        #expect(try SMTPSettings(url: "smtp://u:p@127.0.0.1:2525?tls=none").redacted == "smtp://u@127.0.0.1:2525?tls=none")
    }
}
