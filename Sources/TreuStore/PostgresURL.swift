import Foundation
import NIOSSL
import PostgresNIO

/// What a `postgres://user[:password]@host[:port]/database?sslmode=…&sslrootcert=…` URL says,
/// with libpq's meaning of `sslmode`: `disable` (plain), `allow` and `prefer` (TLS when the
/// server offers it, the default, unverified), `require` (TLS or no connection, unverified),
/// `verify-ca` (the server's certificate signed by `sslrootcert`), `verify-full` (that, and the
/// host name matches; the system's roots without `sslrootcert`).
public struct PostgresURL: Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String?
    public var sslMode: SSLMode
    /// A PEM file of the certificate authorities to trust (`sslrootcert`).
    public var rootCertificate: String?

    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca", verifyFull = "verify-full"
    }

    /// - Throws: `PostgresURLError` naming what is wrong.
    public init(_ url: String) throws(PostgresURLError) {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
              ["postgres", "postgresql"].contains(components.scheme?.lowercased() ?? "") else {
            throw PostgresURLError(message: "not a PostgreSQL URL (postgres://user@host:port/database)")
        }
        self.host = host
        port = components.port ?? 5432
        user = components.user ?? "postgres"
        password = components.password
        database = components.path.isEmpty || components.path == "/" ? nil : String(components.path.dropFirst())
        var mode = SSLMode.prefer
        rootCertificate = nil
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let found = SSLMode(rawValue: value) else {
                    throw PostgresURLError(message: "sslmode '\(item.value ?? "")' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                mode = found
            case "sslrootcert":
                rootCertificate = item.value
            default:
                throw PostgresURLError(message: "'\(item.name)' is not a setting Treu reads from the URL (sslmode, sslrootcert)")
            }
        }
        sslMode = mode
        if rootCertificate != nil, ![.verifyCA, .verifyFull, .require].contains(sslMode) {
            throw PostgresURLError(message: "sslrootcert is for sslmode require, verify-ca or verify-full")
        }
    }

    /// The TLS setting for postgres-nio.
    /// - Throws: `PostgresURLError` if the root certificate cannot be read.
    public func tls() throws(PostgresURLError) -> PostgresClient.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return .disable
        case .allow, .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        if let rootCertificate {
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificate))
            } catch {
                throw PostgresURLError(message: "sslrootcert '\(rootCertificate)' cannot be read as PEM certificates")
            }
            // `require` with a root certificate verifies the authority, as libpq does.
            if sslMode == .require { configuration.certificateVerification = .noHostnameVerification }
        }
        return [.allow, .prefer].contains(sslMode) ? .prefer(configuration) : .require(configuration)
    }
}

public struct PostgresURLError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
