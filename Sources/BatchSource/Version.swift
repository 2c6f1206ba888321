public enum BatchSourceVersion { public static let string = "0.1.0" }
