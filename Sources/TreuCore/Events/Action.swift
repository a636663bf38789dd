import Foundation

/// Something a member did that a program may reward: a review, a share, a birthday, a sign-up, or
/// any name the shop chooses, with properties (the product reviewed, the network shared on).
public struct Action: Hashable, Sendable {
    public var reference: String
    public var name: String
    public var at: Date
    public var properties: [String: String]

    public init(reference: String, name: String, at: Date, properties: [String: String] = [:]) {
        self.reference = reference
        self.name = name
        self.at = at
        self.properties = properties
    }

    /// Names the programs know and suggest; any other name in the same form is a custom action.
    public static let wellKnown = ["signup", "birthday", "review", "social_share", "referral", "survey"]

    private static let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_".utf8)

    /// Every reason the action cannot be taken, or none.
    public func problems() -> [ValidationError] {
        var problems = [ValidationError.reference(reference)].compactMap { $0 }
        if name.isEmpty || name.count > 64 || !name.utf8.allSatisfy(Self.allowed.contains) || name.first == "_" {
            problems.append(ValidationError(code: "invalid_action", field: "name",
                                            message: "an action's name has 1 to 64 lower-case letters, digits and underscores, such as review"))
        }
        if properties.count > 32 || properties.contains(where: { $0.key.isEmpty || $0.key.count > 64 || $0.value.count > 1_000 }) {
            problems.append(ValidationError(code: "invalid_properties", field: "properties",
                                            message: "at most 32 properties, names of 1 to 64 characters, values up to 1,000"))
        }
        return problems
    }
}
