import Foundation

/// Where the database lives when no `--db` is given: `$XDG_DATA_HOME/kefu/kefu.sqlite`, or
/// `~/.local/share/kefu/kefu.sqlite` when XDG_DATA_HOME is unset or not an absolute path.
public enum StoreLocation {
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return URL(fileURLWithPath: data).appendingPathComponent("kefu/kefu.sqlite").path
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/kefu/kefu.sqlite").path
    }

    /// A path given by the user, with `~` expanded.
    public static func expand(_ path: String) -> String { (path as NSString).expandingTildeInPath }
}
