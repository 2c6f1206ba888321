import CCurl

/// libcurl, loaded with dlopen rather than linked, because a binary linked on Debian asks for
/// symbols tagged `CURL_OPENSSL_4` that RHEL's libcurl (AWX's execution environments) lacks.
public enum Libcurl {
    /// What to install, for the message when libcurl is missing.
    static let installHint = "RHEL: dnf install libcurl; Debian: apt-get install libcurl4"

    /// The function table, loading libcurl.so.4 on the first call.
    static func load() throws(TransportFailure) -> UnsafePointer<bs_curl_api> {
        var reason: UnsafePointer<CChar>?
        guard let api = bs_curl_load(&reason) else {
            let why = reason.map { String(cString: $0) } ?? "not found"
            throw TransportFailure(
                .setup, "inventory-script needs libcurl.so.4 (\(installHint)); loading it failed: \(why)")
        }
        return api
    }

    /// `libcurl/7.88.1 OpenSSL/3.0 …` for `--version`, or why there is none.
    public static var versionText: String {
        do throws(TransportFailure) {
            let api = try load()
            return api.pointee.version!().map { String(cString: $0) } ?? "libcurl (no version)"
        } catch {
            return "no libcurl: \(installHint)"
        }
    }
}
