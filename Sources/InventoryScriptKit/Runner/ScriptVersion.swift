/// inventory-script's version, the project's (see BatchSource's `BatchSourceVersion`).
public enum ScriptVersion {
    public static let string = "0.1.0"
}
