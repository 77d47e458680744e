import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of the WebSocket route: Hummingbird's WebSocket context, plus the client's address.
public struct KefuWebSocketContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
    }

    var clientKey: String { remoteAddress?.ipAddress ?? "unknown" }
}
