/// Turns `DecodingError`s into one line a user can act on.
public enum DecodingMessage {
    public static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ ctx: DecodingError.Context) -> String {
            let p = ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : "\(p): "
        }
        switch e {
        case .keyNotFound(let key, let ctx): return "\(path(ctx))missing field \(key.stringValue)"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
            return "\(path(ctx))\(ctx.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
