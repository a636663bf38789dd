import Foundation

/// Which addresses a webhook may go to: by default none on this machine or the private network
/// it sits in (a URL to 127.0.0.1 or 10.0.0.5 would let whoever manages endpoints probe it).
public enum AddressPolicy {
    /// Why a URL cannot be an endpoint, or nil if it can (its host may still resolve to a private address).
    public static func problem(with url: String, allowPrivate: Bool) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else {
            return "'\(url)' is no http:// or https:// URL with a host"
        }
        if components.user != nil || components.password != nil { return "a webhook URL carries no user or password" }
        guard !allowPrivate else { return nil }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare.lowercased().hasSuffix(".localhost") {
            return "'\(host)' is this machine; webhooks go to public addresses (TREU_WEBHOOK_ALLOW_PRIVATE=true allows others)"
        }
        if let bytes = IPAddress.parse(bare), !IPAddress.isPublic(bytes) {
            return "'\(host)' is a private, loopback or reserved address; webhooks go to public addresses (TREU_WEBHOOK_ALLOW_PRIVATE=true allows others)"
        }
        return nil
    }
}

/// IPv4 and IPv6 addresses as bytes, and whether one is on the public internet.
public enum IPAddress {
    /// 4 or 16 bytes, or nil if `text` is no address.
    public static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    public static func isPublic(_ b: [UInt8]) -> Bool {
        if b.count == 4 {
            switch (b[0], b[1]) {
            case (0, _), (10, _), (127, _), (169, 254), (192, 168): return false
            case (172, 16...31), (100, 64...127): return false
            case (192, 0) where b[2] == 0 || b[2] == 2: return false
            case (198, 18...19), (198, 51) where b[2] == 100, (203, 0) where b[2] == 113: return false
            case (224..., _): return false
            default: return true
            }
        }
        guard b.count == 16 else { return false }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return isPublic(Array(b[12..<16])) }
        if b[0..<15].allSatisfy({ $0 == 0 }) { return false }                 // :: and ::1
        if b[0] & 0xfe == 0xfc { return false }                                 // fc00::/7, unique local
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return false }                 // fe80::/10, link local
        if b[0] == 0xff { return false }                                        // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return false } // documentation
        return true
    }
}
