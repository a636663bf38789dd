import Foundation
import TreuStore
@testable import TreuServer

/// What the import tests share: a CSV file written to a temporary path, and an environment over a
/// store with 49 as the calling code for national phone numbers.
enum ImportFiles {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID()).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func environment(_ store: any Store) -> TreuEnvironment {
        TreuEnvironment(configuration: AppConfiguration(defaultCountryCode: "49"), store: store)
    }
}
