import Hummingbird
import NIOCore

/// The request context of kefu-server: Hummingbird's, plus the client's address for the per-address rate limit.
public struct KefuRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The address without its port, as the rate limit counts it ("unknown" in in-process tests).
    var clientKey: String { remoteAddress?.ipAddress ?? "unknown" }
}
