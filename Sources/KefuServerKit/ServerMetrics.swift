import Prometheus

/// What `/metrics` shows, in Prometheus's text format: counts and timings only, never a customer's words or any id.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let turns: Counter
    let sessions: Counter
    let escalations: Counter
    let refused: Counter
    let turnLatency: DurationHistogram
    let openTickets: Gauge

    public init() {
        turns = registry.makeCounter(name: "kefu_turns_total", help: "Customer lines answered.")
        sessions = registry.makeCounter(name: "kefu_sessions_started_total", help: "Conversations started.")
        escalations = registry.makeCounter(name: "kefu_escalations_total", help: "Turns that handed the conversation to a person.")
        refused = registry.makeCounter(name: "kefu_requests_refused_total", help: "Requests refused for a rate limit (429).")
        turnLatency = registry.makeDurationHistogram(
            name: "kefu_turn_duration_seconds",
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1)],
            help: "Time to answer one customer line, storage included.")
        openTickets = registry.makeGauge(name: "kefu_open_tickets", help: "Handoff tickets waiting for a person (read at each scrape).")
    }

    public func text() -> String { registry.emitToString() }
}
