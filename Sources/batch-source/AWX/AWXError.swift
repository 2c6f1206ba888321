import Foundation

/// What went wrong talking to AWX: its own answer shown as it is, with what to change.
enum AWXError: Error, CustomStringConvertible {
    /// AWX answered 4xx: the request itself is wrong (a prompt the template does not take,
    /// credentials, permissions, an id that does not exist).
    case rejected(status: Int, method: String, path: String, body: String)
    /// No usable answer after every retry: timeouts, refused connections, 5xx.
    case unavailable(method: String, path: String, reason: String, attempts: Int)
    /// An answer that is not what AWX's API documents.
    case malformed(path: String, reason: String)

    var description: String {
        switch self {
        case .rejected(let status, let method, let path, let body):
            var text = "AWX refused \(method) \(path) (HTTP \(status)): \(Self.clip(body))"
            for hint in Self.hints(status: status, path: path, body: body) { text += "\n  what to change: \(hint)" }
            return text
        case .unavailable(let method, let path, let reason, let attempts):
            return
                "AWX did not answer \(method) \(path) after \(attempts) attempts: \(reason); check CONTROLLER_HOST "
                + "and that AWX is up"
        case .malformed(let path, let reason):
            return "unexpected answer from AWX at \(path): \(reason)"
        }
    }

    var status: Int? {
        if case .rejected(let status, _, _, _) = self { return status }
        return nil
    }

    static func clip(_ body: String) -> String {
        let flat = body.trimmingCharacters(in: .whitespacesAndNewlines)
        return flat.count > 2000 ? String(flat.prefix(2000)) + "…" : (flat.isEmpty ? "(empty body)" : flat)
    }

    /// AWX names the offending launch fields as keys of its 400 body; each gets advice.
    static func hints(status: Int, path: String, body: String) -> [String] {
        switch status {
        case 401:
            return [
                "AWX did not accept the credentials: check CONTROLLER_OAUTH_TOKEN (tokens expire) or "
                    + "CONTROLLER_USERNAME/CONTROLLER_PASSWORD"
            ]
        case 403:
            return [
                "the AWX user lacks a role here: launching needs Execute on the template, --inventory-source needs "
                    + "Update on the inventory source"
            ]
        case 404:
            return [
                "AWX has nothing at \(path): check the id or name given to "
                    + "--job-template/--workflow-template/--inventory-source and CONTROLLER_HOST"
            ]
        case 405 where path.contains("/inventory_sources/"):
            return [
                "this inventory source cannot be updated (AWX says why above); use a source that runs inventory-script"
            ]
        case 400:
            break
        default:
            return []
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        let template = path.contains("/workflow_job_templates/") ? "workflow job template" : "job template"
        var hints: [String] = []
        for key in object.keys.sorted() {
            switch key {
            case "limit":
                hints.append(
                    "the \(template) does not prompt for a limit: in AWX edit it and tick \"Prompt on launch\" "
                        + "beside Limit (ask_limit_on_launch: true), or update an inventory source that holds only "
                        + "the batch (--inventory-source)"
                )
            case "extra_vars":
                hints.append(
                    "the \(template) does not take variables at launch, and the drive passes the batch facts "
                        + "(batch_id, batch_cursor, …) there: tick \"Prompt on launch\" beside Variables "
                        + "(ask_variables_on_launch: true)"
                )
            case "variables_needed_to_start":
                hints.append("the \(template)'s survey needs answers: pass them with --extra-vars '{\"name\": value}'")
            case "passwords_needed_to_start":
                hints.append(
                    "the \(template)'s credentials ask for passwords at launch, which a pipeline cannot type: store "
                        + "the passwords in the credentials"
                )
            case "inventory":
                hints.append("the \(template) has no inventory: give it one in AWX")
            case "credentials", "credential":
                hints.append("the \(template)'s credentials are missing or unusable: fix them in AWX")
            default:
                continue
            }
        }
        return hints
    }
}
