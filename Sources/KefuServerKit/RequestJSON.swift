import Foundation
import Hummingbird

/// Reads a request's JSON body: at most 64 KiB, UTF-8, one JSON object. Anything else is a 400 or 413 that says what
/// was wrong, never a crash and never a guess.
enum RequestJSON {
    static let maximumBytes = 64 * 1024

    /// The body as an object; `[:]` for an empty body when `emptyAllowed`.
    static func object(_ request: Request, emptyAllowed: Bool = false) async throws -> [String: Any] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBytes)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.tooLarge
        }
        if buffer.readableBytes == 0 {
            if emptyAllowed { return [:] }
            throw APIError(.badRequest, "the request body is empty; send a JSON object")
        }
        let bytes = Array(buffer.readableBytesView)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw APIError(.badRequest, "the request body is not UTF-8 text")
        }
        guard let value = try? JSONSerialization.jsonObject(with: Data(bytes)), let object = value as? [String: Any] else {
            throw APIError(.badRequest, "the request body is not a JSON object")
        }
        return object
    }

    /// A string field, if present; a field of another type is a 400.
    static func string(_ object: [String: Any], _ key: String) throws -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw APIError(.badRequest, "\"\(key)\" must be a string") }
        return text
    }
}
