import Foundation
import TreuCore

/// The program document's versions.
public protocol ProgramStore: Sendable {
    /// Every stored version of the program, oldest first.
    func programVersions() async throws -> [StoredProgram]
    /// Stores a new version (numbered one above the highest) and returns it.
    func addProgramVersion(document: String, effectiveFrom: Date, createdAt: Date, createdBy: String?) async throws -> StoredProgram
}
