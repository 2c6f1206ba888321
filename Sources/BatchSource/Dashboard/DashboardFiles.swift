import Crypto
import Foundation

/// One file of the dashboard as it is served: its bytes, media type and entity tag.
struct DashboardFile: Sendable {
    let bytes: [UInt8]
    let contentType: String
    /// A strong validator from the content, so a browser revalidates cheaply and sees a new
    /// binary's files at once.
    let etag: String
}

/// The dashboard's files (dashboard/ in the repository), built into the binary by the
/// EmbedDashboard plugin so an installed `batch-source` needs nothing beside it.
enum DashboardFiles {
    static let all: [String: DashboardFile] = {
        var files: [String: DashboardFile] = [:]
        for (name, base64) in embedded {
            guard let data = Data(base64Encoded: base64) else { continue }
            let digest = SHA256.hash(data: data).prefix(12).map { String(format: "%02x", $0) }.joined()
            files[name] = DashboardFile(bytes: Array(data), contentType: contentType(of: name), etag: "\"\(digest)\"")
        }
        return files
    }()

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last.map({ $0.lowercased() }) {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "json": return "application/json; charset=utf-8"
        case "txt": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}
