/// Opens the store a database URL names, running migrations.
public enum StoreOpener {
    public static func open(_ url: DatabaseURL) async throws -> any Store {
        switch url {
        case .sqlite(let path):
            return try SQLiteStore(path: path)
        case .postgres:
            throw ConfigurationError("PostgreSQL (\(url)) is not supported by this build yet; use sqlite:///path/file.sqlite")
        }
    }
}
