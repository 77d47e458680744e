import Foundation
import Hummingbird

/// The web chat page and the API document, shipped as the target's resources (`Web/`), read once.
enum WebAssets {
    static let types = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
                        "yaml": "application/yaml; charset=utf-8"]

    private static let files: [String: Data] = {
        var files: [String: Data] = [:]
        for name in ["index.html", "chat.js", "chat.css", "openapi.yaml"] {
            if let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Web"), let data = try? Data(contentsOf: url) {
                files[name] = data
            }
        }
        return files
    }()

    static func data(_ name: String) -> Data? { files[name] }

    static func response(_ name: String) throws -> Response {
        guard let data = files[name] else { throw APIError(.notFound, "\(name) is missing from this installation") }
        let type = types[String(name.split(separator: ".").last ?? "")] ?? "application/octet-stream"
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
