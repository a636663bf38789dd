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

    @Test func flagsWinOverTheEnvironment() throws {
        let environment = ["TREU_PORT": "9000", "TREU_DATABASE_URL": "postgres://postgres:secret@127.0.0.1:5432/treu",
                           "TREU_DEFAULT_COUNTRY_CODE": "+84", "TREU_SQLITE_SYNCHRONOUS": "FULL"]
        let configuration = try AppConfiguration.resolve(flags: ["port": "9100"], environment: environment)
        #expect(configuration.port == 9100)
        #expect(configuration.usesPostgres)
        #expect(configuration.defaultCountryCode == "84")
        #expect(configuration.sqliteDurability == .full)
        #expect(configuration.databaseDescription == "postgres postgres://postgres:***@127.0.0.1:5432/treu")
    }

    @Test(arguments: [("port", "eighty"), ("port", "70000"), ("default-country-code", "049"), ("sqlite-synchronous", "off"),
                      ("log-level", "loud"), ("max-body-bytes", "10")])
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
