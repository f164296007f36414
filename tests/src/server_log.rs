//! What each server under test logs, kept apart from the others' although every test of a
//! binary runs in one process, on threads of its own.
//!
//! The technique. One subscriber for the whole process ([`install`]): the registry, a filter
//! (`RUST_LOG`, else `info`) and [`Capture`], which wraps a plain `tracing_subscriber::fmt`
//! layer. Each app opens a [`Log`] and a span `test_app{n=…}` ([`open`]); the harness runs
//! everything the app does inside that span: its building, the server future, the outbox relay
//! worker, and each request (a middleware enters the span before the router's own layers, so the
//! access log's request span is its child). A task the server spawns inherits no span, hence the
//! middleware rather than the server future alone.
//!
//! For each event [`Capture`] walks the event's span scope up to a `test_app` span, whose
//! [`Log`] it recorded when the span was made, and hands the event to the `fmt` layer with that
//! log as the destination of its writer (a thread-local set around the call: formatting is
//! synchronous, on the thread that emits the event). An event in no app's span (the test
//! calling `app.core` directly, say) goes to the apps the current thread made and that are still
//! alive: a `#[tokio::test]` runs its runtime and every task it spawns on the test's thread, so
//! that is the test's own app. Only an event in no app's span on another thread (a blocking
//! pool's) is filed nowhere; two apps of one test share such stray events.
//!
//! A [`crate::TestApp`] prints its log when it is dropped while its thread panics, which libtest
//! shows with the failure; with `TEST_LOG` set, each line also goes to stderr as it is written,
//! past libtest's capture, prefixed by the test and the number of the app it belongs to.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use tracing::span;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

/// The target of the apps' spans, always let through the filter.
const TARGET: &str = "lapor_test_app";
/// Their name.
const SPAN: &str = "test_app";

/// The log of one app.
#[derive(Debug)]
pub struct Log {
    /// Which app: the number in its span.
    n: u64,
    /// Who made it (the test's thread is named after the test).
    label: String,
    text: Mutex<String>,
}

impl Log {
    /// Everything logged so far.
    pub fn text(&self) -> String {
        self.text
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// `the log of test_app n=3 (lifecycle::a_test)`.
    pub fn title(&self) -> String {
        format!("the log of {SPAN} n={} ({})", self.n, self.label)
    }

    fn push(&self, text: &str) {
        self.text
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push_str(text);
    }
}

/// Every open log by number, for [`Capture::on_new_span`] to find.
static LOGS: Mutex<Option<HashMap<u64, Weak<Log>>>> = Mutex::new(None);

thread_local! {
    /// The logs of the apps this thread made.
    static MADE_HERE: RefCell<Vec<Weak<Log>>> = const { RefCell::new(Vec::new()) };
    /// Where the event being formatted on this thread goes.
    static DESTINATION: RefCell<Vec<Arc<Log>>> = const { RefCell::new(Vec::new()) };
}

/// True when `TEST_LOG` is set: the lines go to stderr as they are written.
pub fn echo() -> bool {
    static ECHO: OnceLock<bool> = OnceLock::new();
    *ECHO.get_or_init(|| std::env::var_os("TEST_LOG").is_some())
}

/// Opens the log of a new app, and the span to run the app in.
pub fn open() -> (Arc<Log>, tracing::Span) {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    install();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let thread = std::thread::current();
    let log = Arc::new(Log {
        n,
        label: thread.name().unwrap_or("unnamed thread").to_string(),
        text: Mutex::new(String::new()),
    });
    {
        let mut logs = LOGS.lock().unwrap_or_else(PoisonError::into_inner);
        let logs = logs.get_or_insert_with(HashMap::new);
        logs.retain(|_, log| log.strong_count() > 0);
        logs.insert(n, Arc::downgrade(&log));
    }
    MADE_HERE.with(|made| {
        let mut made = made.borrow_mut();
        made.retain(|log| log.strong_count() > 0);
        made.push(Arc::downgrade(&log));
    });
    // ERROR so that no level filter drops it; the filter lets its target through anyway.
    let span = tracing::span!(target: TARGET, Level::ERROR, SPAN, n);
    (log, span)
}

/// Installs the process's subscriber, once. When another one was installed first, nothing is
/// captured (the logs stay empty).
fn install() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        use tracing_subscriber::layer::SubscriberExt as _;
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| "info".into())
            .add_directive(format!("{TARGET}=trace").parse().expect("a directive"));
        let fmt = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(ToDestination);
        let subscriber = tracing_subscriber::registry()
            .with(filter)
            .with(Capture { fmt });
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

/// Marks a `test_app` span with its log.
struct Filed(Weak<Log>);

/// The layer that files each event in its app's log: `fmt` formats it, written to the logs
/// [`Capture::on_event`] found for it. Every other call is `fmt`'s own.
struct Capture<L> {
    fmt: L,
}

impl<S, L> Layer<S> for Capture<L>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    L: Layer<S>,
{
    fn on_register_dispatch(&self, subscriber: &tracing::Dispatch) {
        self.fmt.on_register_dispatch(subscriber);
    }

    fn on_layer(&mut self, subscriber: &mut S) {
        self.fmt.on_layer(subscriber);
    }

    fn register_callsite(
        &self,
        metadata: &'static Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        self.fmt.register_callsite(metadata)
    }

    fn enabled(&self, metadata: &Metadata<'_>, ctx: Context<'_, S>) -> bool {
        self.fmt.enabled(metadata, ctx)
    }

    fn on_new_span(&self, attrs: &span::Attributes<'_>, id: &span::Id, ctx: Context<'_, S>) {
        let metadata = attrs.metadata();
        if metadata.target() == TARGET && metadata.name() == SPAN {
            let mut number = Number(None);
            attrs.record(&mut number);
            let log = number.0.and_then(|n| {
                let logs = LOGS.lock().unwrap_or_else(PoisonError::into_inner);
                logs.as_ref().and_then(|logs| logs.get(&n).cloned())
            });
            if let (Some(log), Some(span)) = (log, ctx.span(id)) {
                span.extensions_mut().insert(Filed(log));
            }
        }
        self.fmt.on_new_span(attrs, id, ctx);
    }

    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        self.fmt.max_level_hint()
    }

    fn on_record(&self, span: &span::Id, values: &span::Record<'_>, ctx: Context<'_, S>) {
        self.fmt.on_record(span, values, ctx);
    }

    fn on_follows_from(&self, span: &span::Id, follows: &span::Id, ctx: Context<'_, S>) {
        self.fmt.on_follows_from(span, follows, ctx);
    }

    fn event_enabled(&self, event: &Event<'_>, ctx: Context<'_, S>) -> bool {
        self.fmt.event_enabled(event, ctx)
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let in_span = ctx.event_scope(event).and_then(|mut scope| {
            scope.find_map(|span| {
                let extensions = span.extensions();
                extensions
                    .get::<Filed>()
                    .and_then(|filed| filed.0.upgrade())
            })
        });
        let destination = match in_span {
            Some(log) => vec![log],
            None => MADE_HERE.with(|made| made.borrow().iter().filter_map(Weak::upgrade).collect()),
        };
        if destination.is_empty() && !echo() {
            return;
        }
        let outer = DESTINATION.with(|d| d.replace(destination));
        self.fmt.on_event(event, ctx);
        DESTINATION.with(|d| d.replace(outer));
    }

    fn on_enter(&self, id: &span::Id, ctx: Context<'_, S>) {
        self.fmt.on_enter(id, ctx);
    }

    fn on_exit(&self, id: &span::Id, ctx: Context<'_, S>) {
        self.fmt.on_exit(id, ctx);
    }

    fn on_close(&self, id: span::Id, ctx: Context<'_, S>) {
        self.fmt.on_close(id, ctx);
    }

    fn on_id_change(&self, old: &span::Id, new: &span::Id, ctx: Context<'_, S>) {
        self.fmt.on_id_change(old, new, ctx);
    }
}

/// Reads the `n` of a `test_app` span.
struct Number(Option<u64>);

impl tracing::field::Visit for Number {
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        if field.name() == "n" {
            self.0 = Some(value);
        }
    }

    fn record_debug(&mut self, _field: &tracing::field::Field, _value: &dyn std::fmt::Debug) {}
}

/// The `fmt` layer's writer: to the logs of the event being formatted (and to stderr with
/// `TEST_LOG`).
struct ToDestination;

impl<'a> MakeWriter<'a> for ToDestination {
    type Writer = ToDestination;

    fn make_writer(&'a self) -> Self::Writer {
        ToDestination
    }
}

impl std::io::Write for ToDestination {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        DESTINATION.with(|destination| {
            let destination = destination.borrow();
            for log in destination.iter() {
                log.push(&text);
            }
            if echo() {
                let whose = destination
                    .iter()
                    .map(|log| format!("{} n={}", log.label, log.n))
                    .collect::<Vec<_>>()
                    .join(", ");
                let whose = if whose.is_empty() { "no app" } else { &whose };
                // Straight to the file descriptor: libtest captures only `eprint!`.
                let _ = std::io::stderr().write_all(format!("[{whose}] {text}").as_bytes());
            }
        });
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
