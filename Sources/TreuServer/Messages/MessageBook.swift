import Foundation
import Synchronization
import TreuCore
import TreuMessages
import TreuStore

/// The shop's message settings as they are now, kept in memory (one per server): the audience
/// of each kind and the compiled template of each kind and language (the shop's own, else the
/// standard text). Read again every second by the message service and at once when this server
/// changes them.
public final class MessageBook: Sendable {
    struct Contents: Sendable {
        var audiences: [MessageKind: MessageAudience] = [:]
        var custom: [MessageKind: [MemberLocale: StoredTemplate]] = [:]
        var compiled: [MessageKind: [MemberLocale: CompiledTemplate]] = [:]
        var loaded = false
    }

    private let store: any MessageStore
    private let contents = Mutex(Contents())

    public init(store: any MessageStore) {
        self.store = store
    }

    /// Reads the settings and templates again; compiles only what the shop changed since (the
    /// standard texts are compiled once per process). A stored template that no longer compiles
    /// (a kind's names changed in a later version) gives way to the standard text.
    public func refresh() async throws {
        let audiences = try await store.messageAudiences()
        let templates = try await store.messageTemplates()
        var custom: [MessageKind: [MemberLocale: StoredTemplate]] = [:]
        for stored in templates {
            custom[stored.kind, default: [:]][stored.locale] = stored
        }
        let previous = contents.withLock { $0 }
        var fresh = Contents(audiences: audiences, custom: custom, compiled: previous.compiled, loaded: true)
        if !previous.loaded || previous.custom != custom {
            fresh.compiled = Self.standard
            for stored in templates {
                if let compiled = try? CompiledTemplate(stored.template, kind: stored.kind) {
                    fresh.compiled[stored.kind, default: [:]][stored.locale] = compiled
                }
            }
        }
        contents.withLock { $0 = fresh }
    }

    /// Every standard text, compiled.
    static let standard: [MessageKind: [MemberLocale: CompiledTemplate]] = {
        var compiled: [MessageKind: [MemberLocale: CompiledTemplate]] = [:]
        for kind in MessageKind.allCases {
            for locale in MemberLocale.allCases {
                compiled[kind, default: [:]][locale] = try? CompiledTemplate(StandardTemplates.template(kind, locale), kind: kind)
            }
        }
        return compiled
    }()

    /// Loads once if it never has (a first request before the service's first round).
    func ensureLoaded() async throws {
        if !contents.withLock({ $0.loaded }) { try await refresh() }
    }

    public func audience(_ kind: MessageKind) -> MessageAudience {
        contents.withLock { $0.audiences[kind] } ?? kind.defaultAudience
    }

    func template(_ kind: MessageKind, _ locale: MemberLocale) -> CompiledTemplate? {
        contents.withLock { $0.compiled[kind]?[locale] }
    }

    func custom(_ kind: MessageKind, _ locale: MemberLocale) -> StoredTemplate? {
        contents.withLock { $0.custom[kind]?[locale] }
    }

    /// The notice types some kind wants sent (so changes write their notices).
    var wantedTypes: Set<NoticeType> {
        Set(MessageKind.allCases.filter { audience($0) != .off }.map(\.noticeType))
    }
}
