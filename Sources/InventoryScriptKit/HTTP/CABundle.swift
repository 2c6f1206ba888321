/// Which CA certificates verify the service when no CA file is configured.
///
/// The libcurl inventory-script runs with is the one of the machine (Debian's here, RHEL's in
/// an AWX execution environment), and each distribution's libcurl knows its own store. Naming
/// the store explicitly still helps where that libcurl was built without a default or a
/// container keeps its CAs at another distribution's path.
public enum CABundle {
    /// Distribution CA bundles, most common first.
    public static let systemPaths = [
        "/etc/ssl/certs/ca-certificates.crt",  // Debian, Ubuntu, Alpine (ca-certificates)
        "/etc/pki/tls/certs/ca-bundle.crt",  // RHEL, CentOS, Fedora, Rocky, Alma
        "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // RHEL 7+ (update-ca-trust's output)
        "/etc/ssl/ca-bundle.pem",  // SUSE
        "/etc/ssl/cert.pem",  // Alpine (LibreSSL), macOS
    ]

    /// Environment variables that OpenSSL, curl and Python's requests users already set to
    /// point at a CA bundle.
    public static let environmentVariables = ["SSL_CERT_FILE", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE"]

    /// The CA file to use: the configured one, else one named by the environment, else the
    /// first system bundle present; `nil` leaves libcurl's own default.
    public static func choose(
        configured: String?, environment: [String: String],
        isReadable: (String) -> Bool = SystemIO.isReadableFile
    ) -> String? {
        if let configured { return configured }
        for name in environmentVariables {
            if let path = environment[name], !path.isEmpty, isReadable(path) { return path }
        }
        return systemPaths.first(where: isReadable)
    }
}
