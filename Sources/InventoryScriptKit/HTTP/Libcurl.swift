import CCurl

/// libcurl, loaded when first needed rather than linked: linked, the dynamic loader maps
/// libcurl.so.4 and its ~30 libraries and resolves their symbols before `main`, about 4.5 ms of
/// every run's ~13 ms, also for plain http:// runs that never use it.
public enum Libcurl {
    /// What to install, for the message when libcurl is missing.
    static let installHint = "RHEL: dnf install libcurl; Debian: apt-get install libcurl4"

    /// The function table, loading libcurl.so.4 on the first call. `needs` names what wants it
    /// ("https"), so the one-line failure says why a library is asked for at all.
    static func load(needs: String) throws(TransportFailure) -> UnsafePointer<bs_curl_api> {
        var reason: UnsafePointer<CChar>?
        guard let api = bs_curl_load(&reason) else {
            let why = reason.map { String(cString: $0) } ?? "not found"
            throw TransportFailure(.setup, "\(needs) needs libcurl.so.4 (\(installHint)); loading it failed: \(why)")
        }
        return api
    }

    /// `libcurl/7.88.1 OpenSSL/3.0 …` for `--version`, or why there is none.
    public static var versionText: String {
        do throws(TransportFailure) {
            let api = try load(needs: "https")
            return api.pointee.version!().map { String(cString: $0) } ?? "libcurl (no version)"
        } catch {
            return "no libcurl: https unavailable; \(installHint)"
        }
    }
}
