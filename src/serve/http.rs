//! The HTTP side of `serve`: axum routes on hyper connections, with every
//! limit an exposed server needs. Connections are capped (one over the cap
//! gets a 503 and is closed), headers are bounded and must arrive in time,
//! request bodies are refused past a few bytes (`Content-Length:
//! 99999999999` is a 413 before anything is read), each request has a
//! deadline, search queries are bounded in length and terms, and the reload
//! channel is one server-sent-event stream per tab, a task each, capped too.
//! A refused request is a 4xx or a 503; nothing a client sends stops the server.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

use super::files;

/// The limits of the server. [`Limits::for_this_process`] fits them to the
/// process's open-file limit.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Open connections at once; one more gets a 503.
    pub connections: usize,
    /// Live-reload streams at once (one per open tab); one more gets a 503.
    pub event_streams: usize,
    /// Bytes of request line and headers.
    pub header_bytes: usize,
    /// Time for a client to send its request line and headers (also the
    /// idle time of a kept-alive connection).
    pub header_timeout: Duration,
    /// Time to answer one request (the live-reload stream excepted).
    pub request_timeout: Duration,
    /// Bytes of request body (GET requests carry none).
    pub body_bytes: usize,
    /// Bytes of a search query (`q`).
    pub query_bytes: usize,
    /// Words of a search query.
    pub query_terms: usize,
    /// Time a search waits for the one before it.
    pub search_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 512,
            event_streams: 64,
            header_bytes: 16 * 1024,
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            body_bytes: 1024,
            query_bytes: 256,
            query_terms: 16,
            search_wait: Duration::from_secs(10),
        }
    }
}

impl Limits {
    /// The default limits, with the connection cap kept well under the
    /// process's open-file limit (files read while serving need some too).
    pub fn for_this_process() -> Limits {
        let mut limits = Limits::default();
        if let Ok(files) = rustix::process::getrlimit(rustix::process::Resource::Nofile)
            .current
            .ok_or(())
        {
            let room = (files as usize).saturating_sub(64) / 2;
            limits.connections = limits.connections.min(room.max(16));
            limits.event_streams = limits.event_streams.min(limits.connections / 4).max(1);
        }
        limits
    }
}

/// What the handlers share.
pub struct Shared {
    /// The built site.
    pub out: PathBuf,
    /// The knowledge base (for the search API).
    pub root: PathBuf,
    /// The build generation: bumped after each successful rebuild.
    pub generation: watch::Receiver<u64>,
    pub limits: Limits,
    /// One search at a time: the first one may build the index.
    searching: Semaphore,
    streams: AtomicUsize,
}

impl Shared {
    pub fn new(out: PathBuf, root: PathBuf, generation: watch::Receiver<u64>, limits: Limits) -> Shared {
        Shared {
            out,
            root,
            generation,
            limits,
            searching: Semaphore::new(1),
            streams: AtomicUsize::new(0),
        }
    }
}

/// The routes, with their limits.
pub fn router(shared: Arc<Shared>) -> Router {
    use tower_http::limit::RequestBodyLimitLayer;
    use tower_http::timeout::TimeoutLayer;
    let limits = shared.limits.clone();
    let answered = Router::new()
        .route("/api/search", get(search))
        .fallback(file)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ));
    Router::new()
        .route("/__vigie/events", get(events))
        .merge(answered)
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        .with_state(shared)
}

/// Accepts connections on `listener` until `stop` resolves, each served
/// with `app` under the connection cap and header limits of `limits`.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits, stop: impl Future<Output = ()>) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let open = Arc::new(Semaphore::new(limits.connections));
    tokio::pin!(stop);
    loop {
        let stream = tokio::select! {
            _ = &mut stop => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it
                // was accepted: wait a little and go on listening.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let app = app.clone();
        let limits = limits.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let service = hyper_util::service::TowerToHyperService::new(app);
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_buf_size(limits.header_bytes.max(8192))
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// A connection over the cap: a 503 written (briefly) and the connection closed.
async fn refuse(mut stream: tokio::net::TcpStream) {
    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
Retry-After: 2\r\nConnection: close\r\nContent-Length: 21\r\n\r\nserver busy, retry.\r\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(BUSY)).await;
    let _ = stream.shutdown().await;
}

/// `GET /__vigie/events`: a server-sent-event stream that sends the build
/// generation now and after each rebuild; the page reloads when it grows.
async fn events(State(shared): State<Arc<Shared>>) -> Response {
    let taken = shared.streams.fetch_add(1, Ordering::SeqCst);
    if taken >= shared.limits.event_streams {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return busy("too many live-reload streams are open");
    }
    let slot = StreamSlot(shared.clone());
    let mut rx = shared.generation.clone();
    let first = *rx.borrow_and_update();
    let stream = futures_util::stream::unfold((Some(first), rx, slot), |(now, mut rx, slot)| async move {
        let version = match now {
            Some(v) => v,
            None => {
                rx.changed().await.ok()?;
                *rx.borrow_and_update()
            }
        };
        let event = Event::default()
            .retry(Duration::from_secs(2))
            .data(version.to_string());
        Some((Ok::<_, Infallible>(event), (None, rx, slot)))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// Holds one of the live-reload stream places until the stream ends.
struct StreamSlot(Arc<Shared>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

/// `GET /api/search?q=QUERY[&limit=N][&kind=K][&tag=T]`: the body of
/// `vigie search --format json`, or `{"error": …}`.
async fn search(State(shared): State<Arc<Shared>>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let limits = &shared.limits;
    let mut req = crate::search::Request {
        limit: 10,
        ..Default::default()
    };
    for (k, v) in params {
        match k.as_str() {
            "q" => req.text = v,
            "limit" => match v.parse() {
                Ok(n) if n > 0 && n <= 1000 => req.limit = n,
                _ => return json_error(StatusCode::BAD_REQUEST, "limit must be a number from 1 to 1000"),
            },
            "kind" if !v.is_empty() => {
                if crate::content::Kind::parse(&v).is_none() {
                    return json_error(
                        StatusCode::BAD_REQUEST,
                        "kind must be runbook, architecture, training or guide",
                    );
                }
                req.kind = Some(v)
            }
            "tag" if !v.is_empty() => req.tag = Some(v),
            _ => {}
        }
    }
    if req.text.trim().is_empty() {
        return json_error(StatusCode::BAD_REQUEST, "give the query as ?q=…");
    }
    if req.text.len() > limits.query_bytes
        || req.kind.as_ref().is_some_and(|k| k.len() > limits.query_bytes)
        || req.tag.as_ref().is_some_and(|t| t.len() > limits.query_bytes)
    {
        return json_error(
            StatusCode::URI_TOO_LONG,
            &format!("the query is too long: at most {} bytes", limits.query_bytes),
        );
    }
    if req.text.split_whitespace().count() > limits.query_terms {
        return json_error(
            StatusCode::BAD_REQUEST,
            &format!("the query has too many words: at most {}", limits.query_terms),
        );
    }
    let Ok(Ok(_one)) = tokio::time::timeout(limits.search_wait, shared.searching.acquire()).await else {
        return busy("another search is running");
    };
    let root = shared.root.clone();
    let hits = tokio::task::spawn_blocking(move || {
        crate::config::Config::load(&root)
            .and_then(|config| crate::search::index::search(&config, &req, false))
    })
    .await;
    match hits {
        Ok(Ok(hits)) => json(StatusCode::OK, crate::search::to_json(&hits, false)),
        Ok(Err(e)) => json_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(_) => json_error(StatusCode::INTERNAL_SERVER_ERROR, "the search failed"),
    }
}

/// Any other `GET`: a file of the built site (HTML pages get the live-reload
/// script), or the site's 404 page.
async fn file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")], "").into_response();
    }
    let version = *shared.generation.borrow();
    let out = shared.out.clone();
    let path = uri.path().to_string();
    // A folder asked without its `/` (`/alerts/NovaDown`): redirected, as static
    // hosts do, so the relative links of its index.html resolve from the folder.
    if !path.ends_with('/') && !path.ends_with("/index.html") {
        let (out, asked) = (out.clone(), path.clone());
        let folder = tokio::task::spawn_blocking(move || {
            files::resolve(&out, &asked).is_some_and(|f| f.ends_with("index.html"))
        })
        .await
        .unwrap_or(false);
        if folder {
            let location = match uri.query() {
                Some(q) => format!("{path}/?{q}"),
                None => format!("{path}/"),
            };
            if let Ok(value) = HeaderValue::from_str(&location) {
                return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, value)], "").into_response();
            }
        }
    }
    let found = tokio::task::spawn_blocking(move || files::read(&out, &path, version)).await;
    match found {
        Ok(Some((status, mime, bytes))) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut response = (status, bytes).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
            response
        }
        _ => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn json(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

fn json_error(status: StatusCode, message: &str) -> Response {
    json(status, serde_json::json!({ "error": message }).to_string())
}

/// A 503 that also closes the connection, so a refused client does not keep
/// a connection slot while it waits to retry.
fn busy(message: &str) -> Response {
    let mut response = json_error(StatusCode::SERVICE_UNAVAILABLE, message);
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
