/// What an API key may do. Checked on every route.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Everything, including managing keys.
    case admin
    /// The shop's systems: members and events, no keys.
    case integration
    /// Service staff: members (and, later, manual adjustments and tickets), no keys.
    case support
    /// Reads only: members and reports.
    case analyst

    public func allows(_ permission: Permission) -> Bool {
        switch (self, permission) {
        case (.admin, _): return true
        case (_, .readMembers), (_, .readPoints), (_, .readProgram): return true
        case (.integration, .writeMembers), (.support, .writeMembers): return true
        case (.support, .adjustPoints): return true
        case (.integration, .spendPoints), (.support, .spendPoints): return true
        case (.analyst, .readAnalytics): return true
        default: return false
        }
    }
}

/// One thing a route does that a role may or may not be allowed.
public enum Permission: String, Sendable, CaseIterable {
    case readMembers = "members:read"
    case writeMembers = "members:write"
    case manageKeys = "keys:manage"
    case readPoints = "points:read"
    /// Manual adjustments, with a reason: service staff and admins.
    case adjustPoints = "points:adjust"
    /// What a member does with their points (transfers, donations), done for them by the shop's systems or staff.
    case spendPoints = "points:spend"
    case readProgram = "program:read"
    /// Publishing a new version of the program: admins.
    case manageProgram = "program:manage"
    /// Reports over every member (retention, cohorts, RFM, lifetime value, program figures): analysts and admins.
    case readAnalytics = "analytics:read"
    /// Webhook endpoints, their secrets and deliveries: admins.
    case manageWebhooks = "webhooks:manage"
    /// Message settings and templates, the outbox of messages and its replays: admins.
    case manageMessages = "messages:manage"
}

/// An API key as stored: its secret is kept only as a SHA-256 hash; `prefix` is the part shown
/// in lists so a person can tell keys apart.
public struct APIKey: Equatable, Sendable {
    public let id: UUID
    public let name: String
    public let role: Role
    public let prefix: String
    public let hash: String
    public let createdAt: Date
    public var revokedAt: Date?

    public init(id: UUID, name: String, role: Role, prefix: String, hash: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.prefix = prefix
        self.hash = hash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

import Foundation
