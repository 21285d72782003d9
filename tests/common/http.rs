//! A loopback HTTP/1.1 server for the tests that need one (a static site for
//! the browser, web pages for the link checker, a cloud's API, a chat
//! webhook).
//!
//! Every connection gets its own thread, started as soon as it is accepted:
//! a browser opens several connections at once, and each request must be
//! read as soon as it is sent, whatever the other connections are doing.
//! Connections are kept alive as HTTP/1.1 says, until the client closes
//! them or says `Connection: close`. Request bodies come with a
//! `Content-Length`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A request as the handler sees it, its body read.
pub struct Request {
    pub method: String,
    /// The request target as sent: path and query.
    pub url: String,
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The value of header `name` (any case), the first one if repeated.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path, without the query or the fragment.
    pub fn path(&self) -> &str {
        self.url.split(['?', '#']).next().unwrap_or("/")
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the handler answers.
pub struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// A server on 127.0.0.1; it stops accepting connections when dropped.
pub struct Server {
    pub port: u16,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves every request with `handler`, from as many threads as there
    /// are open connections.
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let handler = Arc::new(handler);
        let accept = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let handler = handler.clone();
                    std::thread::spawn(move || serve_connection(stream, &*handler));
                }
            })
        };
        Server {
            port,
            stop,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT`, without a final slash.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // The accept loop wakes up for this connection and sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

/// Answers the requests of one connection until the client closes it, asks
/// to, or stays silent for a minute.
fn serve_connection(stream: TcpStream, handler: &(dyn Fn(&Request) -> Response + Send + Sync)) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let _ = stream.set_nodelay(true);
    let Ok(mut out) = stream.try_clone() else { return };
    let mut input = BufReader::new(stream);
    while let Some((request, keep_alive)) = read_request(&mut input) {
        let response = handler(&request);
        if write_response(&mut out, &request, &response, keep_alive).is_err() || !keep_alive {
            return;
        }
    }
}

/// The next request of the connection, and whether the connection stays
/// open after it; `None` at the end of the connection or on a request that
/// is not HTTP.
fn read_request(input: &mut BufReader<TcpStream>) -> Option<(Request, bool)> {
    let mut line = String::new();
    // Blank lines between requests are allowed before a request line.
    while line.trim().is_empty() {
        line.clear();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
    }
    let mut parts = line.split_whitespace();
    let (method, url, version) = (parts.next()?, parts.next()?, parts.next()?);
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if input.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let mut request = Request {
        method: method.to_string(),
        url: url.to_string(),
        headers,
        body: Vec::new(),
    };
    // The clients of the tests send their bodies with a length; a body in
    // chunks ends the connection (the client then fails, visibly).
    if request.header("Transfer-Encoding").is_some() {
        return None;
    }
    if let Some(n) = request.header("Content-Length") {
        let mut body = vec![0; n.parse().ok()?];
        input.read_exact(&mut body).ok()?;
        request.body = body;
    }
    let connection = request.header("Connection").map(str::to_ascii_lowercase);
    let keep_alive = match connection.as_deref() {
        Some(c) if c.contains("close") => false,
        Some(c) if c.contains("keep-alive") => true,
        _ => version == "HTTP/1.1",
    };
    Some((request, keep_alive))
}

fn write_response(
    out: &mut TcpStream,
    request: &Request,
    response: &Response,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\n",
        response.status,
        reason(response.status),
        response.body.len()
    );
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    for (k, v) in &response.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    if request.method != "HEAD" {
        bytes.extend_from_slice(&response.body);
    }
    out.write_all(&bytes)?;
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
