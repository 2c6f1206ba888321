/// A setting's text and where it came from, so a bad value can be blamed on its source.
public struct SettingValue: Sendable, Hashable {
    public var text: String
    /// `BATCH_SOURCE_TIMEOUT`, `timeout in /srv/inventory-script.yml`, `--timeout`.
    public var origin: String

    public init(_ text: String, origin: String) {
        self.text = text
        self.origin = origin
    }
}

/// The settings one source gives (environment, config file or command line), as text.
public struct SettingsLayer: Sendable, Hashable {
    public var values: [SettingKey: SettingValue] = [:]

    public init(values: [SettingKey: SettingValue] = [:]) {
        self.values = values
    }

    public subscript(key: SettingKey) -> SettingValue? {
        get { values[key] }
        set { values[key] = newValue }
    }

    /// The settings from environment variables; empty values count as unset, since AWX and
    /// shells hand over empty variables for fields left blank.
    public static func environment(_ lookup: (String) -> String?) -> SettingsLayer {
        var layer = SettingsLayer()
        for spec in SettingSpec.all {
            if let text = lookup(spec.env), !text.isEmpty {
                layer[spec.key] = SettingValue(text, origin: spec.env)
            }
        }
        return layer
    }

    /// `other` laid over this layer. A token and a token file replace each other, so that a
    /// token file named on the command line beats a token from the environment.
    public func overlaid(by other: SettingsLayer) -> SettingsLayer {
        var merged = self
        for (key, value) in other.values {
            if key == .token { merged[.tokenFile] = nil }
            if key == .tokenFile && other[.token] == nil { merged[.token] = nil }
            merged[key] = value
        }
        return merged
    }
}
