import Foundation
import Synchronization
import TreuCore
import TreuStore

/// The program's versions as the server knows them: read from the store, kept for a second (so
/// that a version another server stored is in force here within a second), read again at once
/// after this server stores one.
public final class ProgramService: Sendable {
    let store: any ProgramStore
    private let cache = Mutex<(book: ProgramBook, readAt: ContinuousClock.Instant)?>(nil)
    /// Raised by each version this server stores: a read that began before it does not put its
    /// older book in the cache (it would hide the new version for a second).
    private let generation = Mutex(0)
    static let freshFor: Duration = .seconds(1)

    public init(store: any ProgramStore) { self.store = store }

    public func book() async throws -> ProgramBook {
        if let cached = cache.withLock({ $0 }), ContinuousClock.now - cached.readAt < Self.freshFor { return cached.book }
        let began = generation.withLock { $0 }
        let versions = try await store.programVersions()
        // Stored versions were checked when they were stored; one that no longer parses (a newer
        // Treu's document read by an older one) is left out rather than stopping every event.
        let book = ProgramBook(versions.compactMap { stored in
            (try? Program.parse(Data(stored.document.utf8))).map { ProgramBook.Version(number: stored.version, effectiveFrom: stored.effectiveFrom, program: $0) }
        })
        generation.withLock { current in
            if current == began { cache.withLock { $0 = (book, ContinuousClock.now) } }
        }
        return book
    }

    /// Every stored version, oldest first, as stored (the documents as written).
    public func versions() async throws -> [StoredProgram] { try await store.programVersions() }

    /// Checks a draft and stores it as the next version, in force from `effectiveFrom`.
    /// - Throws: `ProgramProblems` (nothing stored) if the document is invalid.
    /// - Returns: the version, and whether it is new (the same document and date as the last
    ///   version is that version again: a repeated PUT changes nothing).
    public func publish(_ document: Data, effectiveFrom: Date, now: Date, by actor: String?) async throws -> (StoredProgram, created: Bool) {
        _ = try Program.parse(document)
        // A version changes what is to come, never what was: events already recorded keep the
        // points their version gave them, so a version cannot take effect in the past.
        guard effectiveFrom >= now.addingTimeInterval(-60) else { throw ProgramError.effectiveInPast }
        let text = String(decoding: document, as: UTF8.self)
        if let last = try await store.programVersions().last, last.document == text, last.effectiveFrom == effectiveFrom {
            return (last, false)
        }
        let stored = try await store.addProgramVersion(document: text, effectiveFrom: effectiveFrom, createdAt: now, createdBy: actor)
        generation.withLock { current in
            current += 1
            cache.withLock { $0 = nil }
        }
        return (stored, true)
    }
}

public enum ProgramError: Error, Equatable {
    case effectiveInPast
}
