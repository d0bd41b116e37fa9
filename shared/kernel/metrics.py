"""Prometheus metrics shared by the services (exposed at GET /metrics)."""

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter("tdkt_http_requests_total", "HTTP requests answered", ["service", "method", "status"])
HTTP_LATENCY = Histogram(
    "tdkt_http_request_seconds", "HTTP request latency by route template", ["service", "method", "route"]
)
RELAY_PUBLISHED = Counter("tdkt_relay_published_total", "Events confirmed by the broker", ["service"])
RELAY_ACTIVATIONS = Counter(
    "tdkt_relay_activations_total", "Times this process's relay took the service's relay lock", ["service"]
)
RELAY_POSITION = Gauge("tdkt_relay_position", "Last notification id the relay saw confirmed", ["service"])
LOG_HEAD = Gauge("tdkt_log_head", "Highest notification id in the service's event log", ["service"])
CONSUMED = Counter("tdkt_consumer_events_total", "Events handled by a consumer", ["consumer", "outcome"])
CONSUMER_POSITION = Gauge(
    "tdkt_consumer_sequence", "Highest source sequence a consumer has processed", ["consumer", "source"]
)
CONSUMER_LAG = Gauge(
    "tdkt_consumer_lag", "Source head minus the highest processed sequence", ["consumer", "source"]
)
