import Hummingbird
import NIOCore
import NIOHTTPTypes

/// The request body limit at the connection, below the routes: a body announced larger than the limit
/// (`Content-Length`) or growing past it (chunked) is not passed on beyond the limit. The application still
/// answers (413, JSON); that answer carries `Connection: close`, and the connection then closes the way HTTP
/// servers close one whose client is still sending (a "lingering close"): the answer, then FIN, while the
/// rest of the client's input is read and dropped until the client closes or `linger` has passed. A client
/// that sends its whole body before reading the answer gets the 413 instead of a connection reset, and no
/// body beyond the limit is ever buffered.
final class RequestBodyLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let maxBytes: Int
    private let linger: TimeAmount
    /// Body bytes of the current request passed on so far.
    private var received = 0
    /// Past the limit: everything the client still sends is dropped, and the connection closes after the answer.
    private var discarding = false
    /// A request was read whose answer has not been written completely yet.
    private var answering = false
    private var closing = false

    init(maxBytes: Int, linger: TimeAmount = .seconds(10)) {
        self.maxBytes = maxBytes
        self.linger = linger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if discarding { return }
        switch unwrapInboundIn(data) {
        case .head(var head):
            received = 0
            answering = true
            if let length = head.headerFields[.contentLength].flatMap({ Int($0) }), length > maxBytes {
                // The application answers 413 from the announced length; it gets no body, and the server loop
                // closes the connection after that answer.
                discarding = true
                head.headerFields[.connection] = "close"
                context.fireChannelRead(wrapInboundOut(.head(head)))
                context.fireChannelRead(wrapInboundOut(.end(nil)))
                return
            }
            context.fireChannelRead(data)
        case .body(let buffer):
            received += buffer.readableBytes
            context.fireChannelRead(data)
            if received > maxBytes {
                // The part that crossed the limit tells the reader (413); the request ends there.
                discarding = true
                context.fireChannelRead(wrapInboundOut(.end(nil)))
                if !answering { close(context) }
            }
        case .end:
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where discarding:
            head.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end:
            answering = false
            context.write(data, promise: promise)
            if discarding {
                context.flush()
                close(context)
            }
        default:
            context.write(data, promise: promise)
        }
    }

    /// The client closed its side after sending: nothing is left to drop.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if closing, let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// FIN after the answer; the input is still read (and dropped) until the client closes or `linger` passes.
    private func close(_ context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        context.close(mode: .output, promise: nil)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
    }
}
