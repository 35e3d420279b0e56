//! What operators watch (issue 19): `/metrics` in the OpenMetrics text format that Prometheus
//! scrapes.
//!
//! Counted in this process as they happen: requests by route, method and status with their
//! latency, sign-ins and lockouts, mail and packages sent, retried and given up on, and each
//! background job's last run and failures. Read from the database at each scrape, so that every
//! app server on one database reports the same: the outbox's depth. Read from this process's
//! pool: its connections.
//!
//! The route label is the route's pattern from the table (`/directives/{id}`, set on the
//! response by `routes::require` as [`RoutePattern`]), never the path a client sent, so that no
//! client can grow the number of series; anything outside the table is `unmatched`. Requests are
//! counted by the outer middleware that every request already passes (`middleware::outer`),
//! with static labels: no layer of its own and no allocation per request.
//!
//! Who may read it is decided by the connection's own address against the settings' list
//! (`routes::require`, [`danvan_domain::role::Access::Peers`]); a forwarded header never counts.

use std::sync::Mutex;

use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::{EncodeMetric, MetricEncoder, NoLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::{MetricType, TypedMetric};
use prometheus_client::registry::Registry;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::AppState;

/// The media type of the OpenMetrics text format.
pub const CONTENT_TYPE_OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: &'static str,
    method: &'static str,
}

/// The pattern of the route that answered (`/directives/{id}`), set on the response by the
/// route table's layer; a response without one came from outside the table.
#[derive(Clone, Copy, Debug)]
pub struct RoutePattern(pub &'static str);

/// A method as a label: the ones the routes use by name, any other as one.
pub fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "OTHER",
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ChannelLabels {
    channel: &'static str,
}

/// How a sign-in attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Login {
    /// Signed in.
    Success,
    /// A wrong name, password or second-factor code.
    Failure,
    /// Refused without checking: the account is locked or the address has failed too often.
    Refused,
}

/// The background jobs whose runs are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Reminders,
    Mail,
    Packages,
    Sweep,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Job::Reminders => "reminders",
            Job::Mail => "mail",
            Job::Packages => "packages",
            Job::Sweep => "sweep",
        }
    }
}

/// Upper bounds of the latency buckets in seconds: 0.5 ms doubling to about 16 s.
const LATENCY_BOUNDS: [f64; 16] = [
    0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384,
];

/// A latency histogram kept in atomics: observing one request takes no lock (the library's
/// histogram takes a mutex per observation, which two threads answering the same route
/// contend for), and the scrape reads the buckets as they stand.
#[derive(Debug, Default)]
pub struct Latency {
    /// Per bucket (not cumulative), the last for anything slower than the last bound.
    buckets: [AtomicU64; LATENCY_BOUNDS.len() + 1],
    /// Nanoseconds in all.
    sum_nanos: AtomicU64,
}

impl Latency {
    pub fn observe(&self, seconds: f64) {
        let index = LATENCY_BOUNDS.partition_point(|bound| *bound < seconds);
        self.buckets[index].fetch_add(1, Ordering::Relaxed);
        // Saturating: a negative or absurd value adds nothing or the most.
        self.sum_nanos
            .fetch_add((seconds * 1e9).clamp(0.0, u64::MAX as f64) as u64, Ordering::Relaxed);
    }
}

impl TypedMetric for Latency {
    const TYPE: MetricType = MetricType::Histogram;
}

impl EncodeMetric for Latency {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        let buckets: Vec<(f64, u64)> = LATENCY_BOUNDS
            .iter()
            .copied()
            .chain(std::iter::once(f64::INFINITY))
            .zip(self.buckets.iter().map(|b| b.load(Ordering::Relaxed)))
            .collect();
        // The count as the buckets add up, so that the two never disagree within a scrape.
        let count = buckets.iter().map(|(_, n)| n).sum();
        let sum = self.sum_nanos.load(Ordering::Relaxed) as f64 / 1e9;
        encoder.encode_histogram::<NoLabelSet>(sum, count, &buckets, None)
    }

    fn metric_type(&self) -> MetricType {
        Self::TYPE
    }
}

/// The process's metrics; one per [`AppState`], shared by its clones.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Latency>,
    logins: Family<OutcomeLabels, Counter>,
    lockouts: Counter,
    mail: Family<OutcomeLabels, Counter>,
    packages: Family<OutcomeLabels, Counter>,
    job_last_run: Family<JobLabels, Gauge>,
    job_last_success: Family<JobLabels, Gauge>,
    job_failures: Family<JobLabels, Counter>,
    pool: Family<PoolLabels, Gauge>,
    pool_max: Gauge,
    outbox: Family<ChannelLabels, Gauge>,
    /// One scrape at a time: the scrape-time gauges are set, then encoded, as one step.
    scrape: Mutex<()>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("danvan");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route pattern, method and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Latency>::default();
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its response's head, by route pattern and method",
            latency.clone(),
        );
        let logins = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "logins",
            "Sign-in attempts by outcome (success, failure, refused while locked or throttled)",
            logins.clone(),
        );
        let lockouts = Counter::default();
        registry.register("lockouts", "Accounts locked after repeated failures", lockouts.clone());
        let mail = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "mail",
            "E-mail delivery attempts by outcome (sent, retried, failed after the last attempt)",
            mail.clone(),
        );
        let packages = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "packages",
            "edXML packages sent to the provincial platform by outcome (sent, retried, failed)",
            packages.clone(),
        );
        let job_last_run = Family::<JobLabels, Gauge>::default();
        registry.register(
            "job_last_run_timestamp_seconds",
            "When each background job last ran in this process (Unix time)",
            job_last_run.clone(),
        );
        let job_last_success = Family::<JobLabels, Gauge>::default();
        registry.register(
            "job_last_success_timestamp_seconds",
            "When each background job last ran without an error in this process (Unix time)",
            job_last_success.clone(),
        );
        let job_failures = Family::<JobLabels, Counter>::default();
        registry.register(
            "job_failures",
            "Background job runs that ended in an error",
            job_failures.clone(),
        );
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "This process's database connections by state (idle, in_use)",
            pool.clone(),
        );
        let pool_max = Gauge::default();
        registry.register(
            "db_pool_max_connections",
            "The most database connections this process may open",
            pool_max.clone(),
        );
        let outbox = Family::<ChannelLabels, Gauge>::default();
        registry.register(
            "outbox_depth",
            "Messages waiting to be sent, by channel (mail, edxml), across all servers",
            outbox.clone(),
        );
        for outcome in ["success", "failure", "refused"] {
            drop(logins.get_or_create(&OutcomeLabels { outcome }));
        }
        for outcome in ["sent", "retried", "failed"] {
            drop(mail.get_or_create(&OutcomeLabels { outcome }));
            drop(packages.get_or_create(&OutcomeLabels { outcome }));
        }
        for job in [Job::Reminders, Job::Mail, Job::Packages, Job::Sweep] {
            drop(job_failures.get_or_create(&JobLabels { job: job.name() }));
        }
        Self {
            registry,
            requests,
            latency,
            logins,
            lockouts,
            mail,
            packages,
            job_last_run,
            job_last_success,
            job_failures,
            pool,
            pool_max,
            outbox,
            scrape: Mutex::new(()),
        }
    }

    /// Counts one answered request.
    pub fn request(&self, route: &'static str, method: &'static str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels { route, method, status })
            .inc();
        self.latency
            .get_or_create(&RouteLabels { route, method })
            .observe(seconds);
    }

    /// Counts one sign-in attempt.
    pub fn login(&self, outcome: Login) {
        let outcome = match outcome {
            Login::Success => "success",
            Login::Failure => "failure",
            Login::Refused => "refused",
        };
        self.logins.get_or_create(&OutcomeLabels { outcome }).inc();
    }

    /// Counts an account locked after repeated failures.
    pub fn lockout(&self) {
        self.lockouts.inc();
    }

    /// Counts one pass of the mail sender.
    pub fn mail_delivered(&self, delivery: &crate::mail::Delivery) {
        count_delivery(&self.mail, delivery);
    }

    /// Counts one pass of the package sender.
    pub fn packages_delivered(&self, delivery: &crate::mail::Delivery) {
        count_delivery(&self.packages, delivery);
    }

    /// Records one run of a background job at `now` (Unix seconds).
    pub fn job_ran(&self, job: Job, ok: bool, now: i64) {
        let labels = JobLabels { job: job.name() };
        self.job_last_run.get_or_create(&labels).set(now);
        if ok {
            self.job_last_success.get_or_create(&labels).set(now);
        } else {
            self.job_failures.get_or_create(&labels).inc();
        }
    }

    /// The whole registry in the OpenMetrics text format, with the scrape-time gauges read
    /// from `store` first. An outbox that cannot be counted leaves its last figure.
    pub async fn render(&self, store: &danvan_app::store::Store) -> String {
        let pool = store.pool_status();
        let pending = [
            ("mail", store.outbox_counts_on("mail").await.map(|c| c.pending)),
            ("edxml", store.outbox_counts_on("edxml").await.map(|c| c.pending)),
        ];
        let _one = self.scrape.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.pool
            .get_or_create(&PoolLabels { state: "idle" })
            .set(i64::from(pool.idle));
        self.pool
            .get_or_create(&PoolLabels { state: "in_use" })
            .set(i64::from(pool.open.saturating_sub(pool.idle)));
        self.pool_max.set(i64::from(pool.max));
        for (channel, depth) in pending {
            match depth {
                Ok(depth) => {
                    self.outbox.get_or_create(&ChannelLabels { channel }).set(depth);
                }
                Err(error) => tracing::warn!(%error, channel, "outbox not counted for the metrics"),
            }
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry).expect("writing to a String");
        text
    }
}

fn count_delivery(family: &Family<OutcomeLabels, Counter>, delivery: &crate::mail::Delivery) {
    for (outcome, n) in [
        ("sent", delivery.sent),
        ("retried", delivery.retried),
        ("failed", delivery.failed),
    ] {
        family
            .get_or_create(&OutcomeLabels { outcome })
            .inc_by(u64::try_from(n).unwrap_or(u64::MAX));
    }
}

/// `GET /metrics`: reached only by the peers the settings list (checked by the route's rule).
pub async fn scrape(State(state): State<AppState>) -> Response {
    let text = state.metrics.render(&state.store).await;
    (StatusCode::OK, [(CONTENT_TYPE, CONTENT_TYPE_OPENMETRICS)], text).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_counted_under_its_route_pattern() {
        let metrics = Metrics::new();
        metrics.request("/directives/{id}", "GET", 200, 0.002);
        metrics.request("/directives/{id}", "GET", 200, 0.004);
        metrics.login(Login::Failure);
        metrics.job_ran(Job::Reminders, false, 1_700_000_000);
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &metrics.registry).unwrap();
        assert!(
            text.contains(r#"danvan_http_requests_total{route="/directives/{id}",method="GET",status="200"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"danvan_http_request_duration_seconds_count{route="/directives/{id}",method="GET"} 2"#),
            "{text}"
        );
        assert!(text.contains(r#"danvan_logins_total{outcome="failure"} 1"#), "{text}");
        assert!(
            text.contains(r#"danvan_job_failures_total{job="reminders"} 1"#),
            "{text}"
        );
        assert!(
            text.contains(r#"danvan_job_last_run_timestamp_seconds{job="reminders"} 1700000000"#),
            "{text}"
        );
        assert!(!text.contains(r#"danvan_job_last_success_timestamp_seconds{job="reminders"}"#));
        assert!(text.ends_with("# EOF\n"));
    }

    #[test]
    fn latencies_fall_in_cumulative_buckets_with_their_sum() {
        let metrics = Metrics::new();
        for seconds in [0.0003, 0.0007, 0.003, 40.0] {
            metrics.request("/healthz", "GET", 200, seconds);
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &metrics.registry).unwrap();
        let series = |le: &str| {
            format!(r#"danvan_http_request_duration_seconds_bucket{{le="{le}",route="/healthz",method="GET"}} "#)
        };
        for (le, n) in [("0.0005", 1), ("0.001", 2), ("0.004", 3), ("16.384", 3), ("+Inf", 4)] {
            assert!(text.contains(&format!("{}{n}\n", series(le))), "{le}: {text}");
        }
        assert!(
            text.contains(r#"danvan_http_request_duration_seconds_count{route="/healthz",method="GET"} 4"#),
            "{text}"
        );
        assert!(
            text.contains(r#"danvan_http_request_duration_seconds_sum{route="/healthz",method="GET"} 40.004"#),
            "{text}"
        );
    }
}
