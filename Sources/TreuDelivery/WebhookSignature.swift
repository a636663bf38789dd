import Crypto
import Foundation

/// The Standard Webhooks signature (standardwebhooks.com): `v1,` and the base64 of
/// HMAC-SHA256 over `id.timestamp.body` with the key that the secret `whsec_<base64>` holds.
/// Several secrets (during a rotation) give several signatures, separated by spaces.
public enum WebhookSignature {
    public static let secretPrefix = "whsec_"

    /// A new secret of 32 random bytes from `random`.
    public static func newSecret(random: () -> UInt64) -> String {
        var bytes: [UInt8] = []
        for _ in 0..<4 { withUnsafeBytes(of: random()) { bytes += $0 } }
        return secretPrefix + Data(bytes).base64EncodedString()
    }

    /// The key a secret holds, or nil if it is not `whsec_` and base64.
    public static func key(of secret: String) -> SymmetricKey? {
        guard secret.hasPrefix(secretPrefix), let data = Data(base64Encoded: String(secret.dropFirst(secretPrefix.count))),
              !data.isEmpty else { return nil }
        return SymmetricKey(data: data)
    }

    /// The `webhook-signature` header's value for the message.
    public static func header(id: String, timestamp: Int64, body: String, secrets: [String]) -> String {
        let content = Data("\(id).\(timestamp).\(body)".utf8)
        return secrets.compactMap(key(of:)).map { key in
            "v1," + Data(HMAC<SHA256>.authenticationCode(for: content, using: key)).base64EncodedString()
        }.joined(separator: " ")
    }
}
