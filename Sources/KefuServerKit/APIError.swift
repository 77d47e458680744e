import Foundation
import Hummingbird
import KefuKit

/// A refusal as the client sees it: an HTTP status and a plain sentence in a JSON body (`{"error": "…"}`).
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: JSONText.object([("error", JSONText.string(message))]))))
    }

    /// The same words for a wrong token as for a conversation that does not exist.
    static let notFound = APIError(.notFound, "no such conversation, or the token does not open it")
    static let tooLarge = APIError(.contentTooLarge, "the request body is larger than 64 KiB")
    static func tooMany(_ what: String) -> APIError {
        var error = APIError(.tooManyRequests, "too many requests \(what); wait a moment and try again")
        error.headers[.retryAfter] = "1"
        return error
    }
}
