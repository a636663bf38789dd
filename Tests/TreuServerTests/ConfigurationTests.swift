import Foundation
import Testing
@testable import TreuServer

@Suite("Configuration: flags over environment over defaults")
struct ConfigurationTests {
    @Test func defaultsRunOnEmbeddedSQLite() throws {
        let configuration = try AppConfiguration.resolve(flags: [:], environment: [:])
        #expect(configuration == AppConfiguration())
        #expect(configuration.databaseURL == "treu-data/treu.sqlite")
        #expect(configuration.port == 8080 && configuration.host == "127.0.0.1")
        #expect(!configuration.usesPostgres)
    }

    @Test func emailIsConfiguredByAURLAndASenderOrRefusedWithWhy() throws {
        #expect(try AppConfiguration.resolve(flags: [:], environment: [:]).mail == nil)
        let mail = try #require(try AppConfiguration.resolve(flags: [:], environment: [
            "TREU_SMTP_URL": "smtp://shop:s3cret@mail.example.com", "TREU_SMTP_FROM": "Café Linh <loyalty@cafe-linh.example>",
            "TREU_SMTP_RATE": "5", "TREU_PUBLIC_URL": "https://loyalty.cafe-linh.example/"]).mail)
        #expect(mail.smtp.port == 587 && mail.smtp.security == .startTLS && mail.smtp.password == "s3cret")
        #expect(mail.from.name == "Café Linh" && mail.from.address == "loyalty@cafe-linh.example" && mail.ratePerSecond == 5)
        let refused: [[String: String]] = [
            ["TREU_SMTP_URL": "smtp://mail.example.com"],                                   // no sender
            ["TREU_SMTP_FROM": "loyalty@cafe-linh.example"],                               // a sender without a server
            ["TREU_SMTP_URL": "mailto:x@example.com", "TREU_SMTP_FROM": "a@b.example"],
            ["TREU_SMTP_URL": "smtp://u:p@mail.example.com?tls=none", "TREU_SMTP_FROM": "a@b.example"],
            ["TREU_SMTP_URL": "smtp://mail.example.com", "TREU_SMTP_FROM": "not an address"],
            ["TREU_SMTP_URL": "smtp://mail.example.com", "TREU_SMTP_FROM": "a@b.example", "TREU_SMTP_RATE": "0"],
            ["TREU_PUBLIC_URL": "loyalty.example"],
        ]
        for environment in refused {
            #expect(throws: ConfigurationError.self, "\(environment)") { try AppConfiguration.resolve(flags: [:], environment: environment) }
        }
        // The password is not in the message.
        do {
            _ = try AppConfiguration.resolve(flags: [:], environment: ["TREU_SMTP_URL": "smtp://u:hunter2@mail.example.com?tls=none",
                                                                     "TREU_SMTP_FROM": "a@b.example"])
        } catch {
            #expect(!"\(error)".contains("hunter2"), "\(error)")
        }
    }

    @Test func flagsWinOverTheEnvironment() throws {
        let environment = ["TREU_PORT": "9000", "TREU_DATABASE_URL": "postgres://postgres:secret@127.0.0.1:5432/treu",
                           "TREU_DEFAULT_COUNTRY_CODE": "+84", "TREU_SQLITE_SYNCHRONOUS": "FULL", "TREU_ANALYTICS_REFRESH_SECONDS": "60"]
        let configuration = try AppConfiguration.resolve(flags: ["port": "9100"], environment: environment)
        #expect(configuration.port == 9100)
        #expect(configuration.usesPostgres)
        #expect(configuration.defaultCountryCode == "84")
        #expect(configuration.sqliteDurability == .full)
        #expect(configuration.analyticsRefreshSeconds == 60 && AppConfiguration().analyticsRefreshSeconds == 900)
        #expect(configuration.databaseDescription == "postgres postgres://postgres:***@127.0.0.1:5432/treu")
    }

    /// `sqlite:` URLs name a file (it was taken as a path, making a folder named `sqlite:`).
    @Test(arguments: [("sqlite:///srv/treu/db.sqlite", "/srv/treu/db.sqlite"), ("sqlite:data/treu.sqlite", "data/treu.sqlite"),
                      ("sqlite://data/treu.sqlite", "data/treu.sqlite"), ("SQLITE:///tmp/x.sqlite", "/tmp/x.sqlite"),
                      ("sqlite::memory:", ":memory:"), ("treu-data/treu.sqlite", "treu-data/treu.sqlite"),
                      ("postgresql://u@h/db", "postgresql://u@h/db")])
    func sqliteURLsNameTheirFile(url: String, path: String) throws {
        let configuration = try AppConfiguration.resolve(flags: ["database": url], environment: [:])
        #expect(configuration.databaseURL == path)
        #expect(configuration.usesPostgres == path.hasPrefix("postgres"))
    }

    @Test(arguments: [("port", "eighty"), ("port", "70000"), ("default-country-code", "049"), ("sqlite-synchronous", "off"),
                      ("log-level", "loud"), ("max-body-bytes", "10"), ("analytics-refresh-seconds", "-1"),
                      ("database", "mysql://root@localhost/treu"), ("database", "sqlite://")])
    func badValuesAreNamed(setting: String, value: String) {
        do {
            _ = try AppConfiguration.resolve(flags: [setting: value], environment: [:])
            Issue.record("\(setting)=\(value) was accepted")
        } catch let error as ConfigurationError {
            #expect(error.setting == setting)
            #expect(error.description.contains("'\(value)'"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite("Encodings written by hand")
struct EncodingTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (951_782_400.5, "2000-02-29T00:00:00.500Z"),
        (1_795_629_739.123, "2026-11-25T18:02:19.123Z"),
        (-1.0, "1969-12-31T23:59:59.000Z"),
        (4_107_542_399.999, "2100-02-28T23:59:59.999Z"),
    ])
    func timestampsAreISO8601WithMilliseconds(seconds: Double, expected: String) {
        #expect(TreuJSON.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func hexIsLowerCaseTwoDigitsAByte() {
        #expect(Hex.encode([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
    }

    @Test func apiKeysAreHashedWithSHA256() {
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        #expect(APIKeyService.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
