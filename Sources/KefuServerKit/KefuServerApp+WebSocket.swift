import Foundation
import Hummingbird
import HummingbirdWebSocket
import KefuKit

extension KefuServerApp {
    /// `GET /v1/sessions/{id}/ws`: the same conversation over a WebSocket. The token comes as `?token=` or as the first
    /// message (`{"token": "…"}`, answered `{"ready": true}`); then each text message (`{"text": "…"}`, or the line itself)
    /// gets one JSON turn, the object `POST …/messages` answers. A refusal is a JSON `{"error": …}` message; a wrong token
    /// closes the socket after it.
    public func webSocketRouter() -> Router<KefuWebSocketContext> {
        let router = Router(context: KefuWebSocketContext.self)
        // Every request to the route is upgraded, and refused inside the socket: the library answers a refused upgrade with
        // a redirect to itself, which tells a client nothing.
        router.ws("/v1/sessions/:id/ws") { _, _ in .upgrade([:]) } onUpgrade: { inbound, outbound, context in
            let id = context.requestContext.parameters.get("id") ?? ""
            guard addressLimiter.allow(context.requestContext.clientKey) else {
                metrics.refused.increment()
                try await outbound.write(.text(Self.errorJSON(APIError.tooMany("from this address").message)))
                return
            }
            var token: String? = context.request.uri.queryParameters.get("token").map { String($0) }
            // A token in the address is checked at once: a stranger gets the same words as over HTTP, and the socket closes.
            if let given = token, (try? await offloaded({ try service.open(publicID: id, token: given) })) == nil {
                try await outbound.write(.text(Self.errorJSON(APIError.notFound.message)))
                return
            }
            for try await message in inbound.messages(maxSize: RequestJSON.maximumBytes) {
                guard case .text(let raw) = message else {
                    try await outbound.write(.text(Self.errorJSON("send text messages: {\"text\": \"…\"}")))
                    continue
                }
                let object = (try? JSONSerialization.jsonObject(with: Data(raw.utf8))) as? [String: Any]
                if token == nil {
                    guard let given = object?["token"] as? String,
                          (try? await offloaded({ try service.open(publicID: id, token: given) })) != nil else {
                        try await outbound.write(.text(Self.errorJSON(APIError.notFound.message)))
                        return
                    }
                    token = given
                    try await outbound.write(.text(JSONText.object([("ready", "true")])))
                    continue
                }
                let text = object.map { $0["text"] as? String } ?? raw
                guard let text else {
                    try await outbound.write(.text(Self.errorJSON("\"text\" is missing: send {\"text\": \"…\"}")))
                    continue
                }
                guard sessionLimiter.allow(id) else {
                    metrics.refused.increment()
                    try await outbound.write(.text(Self.errorJSON(APIError.tooMany("in this conversation").message)))
                    continue
                }
                do {
                    let start = ContinuousClock.now
                    let answered = try await offloaded { [token] in try service.send(publicID: id, token: token, text: text) }
                    metrics.turnLatency.record(ContinuousClock.now - start)
                    metrics.turns.increment()
                    if answered.escalations > 0 { metrics.escalations.increment(by: Int64(answered.escalations)) }
                    try await outbound.write(.text(Self.turnJSON(answered)))
                    if answered.record.endsConversation { return }
                } catch let error as APIError {
                    try await outbound.write(.text(Self.errorJSON(error.message)))
                    if error.status == .notFound || error.status == .conflict && error.message.contains("ended") { return }
                }
            }
        }
        return router
    }

    static func errorJSON(_ message: String) -> String { JSONText.object([("error", JSONText.string(message))]) }

    /// The turn as `kefu --json` prints it, with `"truncated": true` when the line was cut.
    static func turnJSON(_ answered: ConversationService.Answered) -> String {
        var json = answered.record.jsonLine
        if answered.truncated {
            json.removeLast()
            json += ",\"truncated\":true}"
        }
        return json
    }
}
