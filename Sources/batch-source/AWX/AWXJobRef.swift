/// A job the drive started in AWX, as recorded on the batch's attempt (`external_ref`): the
/// job's API URL, e.g. `https://awx.example.com/api/v2/jobs/42/`, so that people reading
/// `batch show` can open it and a restarted drive knows what to follow.
struct AWXJobRef: Sendable, Hashable, CustomStringConvertible {
    enum Kind: String, Sendable {
        case job = "jobs"
        case workflowJob = "workflow_jobs"
        case inventoryUpdate = "inventory_updates"

        var label: String {
            switch self {
            case .job: return "job"
            case .workflowJob: return "workflow job"
            case .inventoryUpdate: return "inventory update"
            }
        }
    }

    var kind: Kind
    var id: Int
    /// The AWX base URL the job lives on.
    var host: String

    var path: String { "/api/v2/\(kind.rawValue)/\(id)/" }
    var url: String { host + path }
    var description: String { "\(kind.label) \(id)" }

    init(kind: Kind, id: Int, host: String) {
        self.kind = kind
        self.id = id
        self.host = host
    }

    /// Reads back what `url` wrote; `nil` for anything else.
    init?(externalRef: String) {
        guard let range = externalRef.range(of: "/api/v2/") else { return nil }
        let parts = externalRef[range.upperBound...].split(separator: "/")
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), let id = Int(parts[1]), id > 0 else {
            return nil
        }
        self.init(kind: kind, id: id, host: String(externalRef[..<range.lowerBound]))
    }
}
