import Crypto
import Foundation
import TreuCore
import TreuStore

/// Whose event: a member id, or identities (the first one anybody holds decides).
public enum MemberReference: Sendable {
    case id(UUID)
    case identities([Identity])
}
