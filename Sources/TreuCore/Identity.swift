/// The kinds of identity that find a member. Any one is enough: nobody has to carry a card.
public enum IdentityKind: String, Codable, Sendable, CaseIterable, Comparable {
    case email
    case phone
    case card
    case customerID = "customer_id"

    public static func < (lhs: IdentityKind, rhs: IdentityKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One normalised identity of a member. Two identities are the same when kind and normalised value are.
///
/// Normalisation rules (documented in README.md):
/// - email: trimmed and lower-cased as a whole, so `Ana@Shop.DE` and `ana@shop.de` are one;
/// - phone: E.164, `+` and 8 to 15 digits; spaces, dots, dashes, slashes and brackets are dropped,
///   a leading `00` becomes `+`, and a national number (leading `0`) takes the shop's default
///   country calling code when one is configured;
/// - card: upper-cased, spaces and dashes dropped, letters and digits only;
/// - customer_id: the shop's own id, trimmed, compared exactly.
public struct Identity: Hashable, Sendable, Codable, Comparable {
    public let kind: IdentityKind
    public let value: String

    /// An identity whose value is already normalised (as read from storage).
    public init(normalizedKind kind: IdentityKind, value: String) {
        self.kind = kind
        self.value = value
    }

    /// Normalises `raw` as an identity of `kind`.
    /// - Throws: `ValidationError` with the code `invalid_email`, `invalid_phone`, `invalid_card`
    ///   or `invalid_customer_id`.
    public init(_ kind: IdentityKind, _ raw: String, defaultCountryCode: String? = nil) throws(ValidationError) {
        self.kind = kind
        switch kind {
        case .email: value = try Self.normalizeEmail(raw)
        case .phone: value = try Self.normalizePhone(raw, defaultCountryCode: defaultCountryCode)
        case .card: value = try Self.normalizeCard(raw)
        case .customerID: value = try Self.normalizeCustomerID(raw)
        }
    }

    public static func < (lhs: Identity, rhs: Identity) -> Bool {
        (lhs.kind, lhs.value) < (rhs.kind, rhs.value)
    }

    /// Every identity that `raw` could be, for a look-up by "whatever the customer says":
    /// an email if it has an `@`, a phone if it normalises as one, and always a card and a customer id.
    public static func candidates(for raw: String, defaultCountryCode: String? = nil) -> [Identity] {
        IdentityKind.allCases.compactMap { try? Identity($0, raw, defaultCountryCode: defaultCountryCode) }
    }

    private static let localBytes = Set("abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-".utf8)
    private static let domainBytes = Set("abcdefghijklmnopqrstuvwxyz0123456789.-".utf8)

    static func normalizeEmail(_ raw: String) throws(ValidationError) -> String {
        let email = raw.trimmingSpaces().lowercased()
        let bad = ValidationError(code: "invalid_email", field: "email", message: "'\(raw)' is not an email address")
        let bytes = Array(email.utf8)
        guard bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")) else { throw bad }
        let local = bytes[..<at], domain = bytes[(at + 1)...]
        let dot = UInt8(ascii: "."), dash = UInt8(ascii: "-")
        // Bytes of 0x80 and above belong to non-ASCII characters, which both parts may hold.
        guard (1...64).contains(local.count), local.allSatisfy({ $0 >= 0x80 || localBytes.contains($0) }),
              local.first != dot, local.last != dot,
              domain.allSatisfy({ $0 >= 0x80 || domainBytes.contains($0) }), domain.contains(dot)
        else { throw bad }
        let labels = domain.split(separator: dot, omittingEmptySubsequences: false)
        guard labels.allSatisfy({ !$0.isEmpty && $0.first != dash && $0.last != dash }),
              !local.split(separator: dot, omittingEmptySubsequences: false).contains(where: \.isEmpty)
        else { throw bad }
        return email
    }

    private static let phoneSeparators = Set(" .-/()\u{00A0}")

    static func normalizePhone(_ raw: String, defaultCountryCode: String?) throws(ValidationError) -> String {
        let bad = ValidationError(
            code: "invalid_phone", field: "phone",
            message: "'\(raw)' is not a phone number in international form (+ and 8 to 15 digits)")
        var text = Substring(raw.trimmingSpaces())
        let separators = Self.phoneSeparators
        var international = false
        if text.hasPrefix("+") { international = true; text = text.dropFirst() }
        var digits = ""
        for character in text {
            if separators.contains(character) { continue }
            guard character.isASCII, character.isNumber else { throw bad }
            digits.append(character)
        }
        if !international {
            if digits.hasPrefix("00") {
                digits.removeFirst(2)
            } else if digits.hasPrefix("0"), let code = defaultCountryCode, !code.isEmpty {
                digits = code + digits.dropFirst()
            } else {
                throw bad
            }
        }
        guard (8...15).contains(digits.count), !digits.hasPrefix("0") else { throw bad }
        return "+" + digits
    }

    static func normalizeCard(_ raw: String) throws(ValidationError) -> String {
        let card = raw.uppercased().filter { $0 != " " && $0 != "-" }
        guard (4...64).contains(card.count), card.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw ValidationError(code: "invalid_card", field: "card",
                                  message: "a card number has 4 to 64 letters or digits")
        }
        return card
    }

    static func normalizeCustomerID(_ raw: String) throws(ValidationError) -> String {
        let id = raw.trimmingSpaces()
        guard (1...128).contains(id.count), !id.containsControlCharacter else {
            throw ValidationError(code: "invalid_customer_id", field: "customer_id",
                                  message: "a customer id has 1 to 128 characters on one line, without control characters")
        }
        return id
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
