import Foundation
import Testing
import TreuCore
import TreuStore
import TreuTestSupport

/// The program's versions, alike on every engine.
@Suite("Store conformance: program versions")
struct ProgramConformanceTests {
    let day0 = Date(timeIntervalSince1970: 1_790_000_000)
    func day(_ n: Double) -> Date { day0.addingTimeInterval(n * 86_400) }

    @Test(arguments: TestStores.available)
    func programVersionsAreNumberedInOrder(backend: Backend) async throws {
        try await TestStores.with(backend) { store in
            #expect(try await store.programVersions().isEmpty)
            let first = try await store.addProgramVersion(document: #"{"name": "one"}"#, effectiveFrom: day(1), createdAt: day(0), createdBy: "admin key")
            let second = try await store.addProgramVersion(document: #"{"name": "two"}"#, effectiveFrom: day(30), createdAt: day(2), createdBy: nil)
            #expect(first.version == 1 && second.version == 2)
            let versions = try await store.programVersions()
            #expect(versions == [first, second])
            #expect(versions[0].document == #"{"name": "one"}"# && versions[0].effectiveFrom == day(1) && versions[0].createdBy == "admin key")
        }
    }
}
