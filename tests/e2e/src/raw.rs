//! Requests the phone would never send: hand-made bodies and headers, through reqwest or, for the
//! byte-level cases, a bare TCP socket.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use gocua_protocol::ErrorBody;
use reqwest::blocking::Client;
use serde::de::DeserializeOwned;

/// An HTTP answer as received.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The error body; panics (showing the answer) when it is not one.
    pub fn error(&self) -> ErrorBody {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "HTTP {} answer is not an error body ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "HTTP {} answer is not the expected JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Asserts status and error code.
    pub fn assert_refused(&self, status: u16, code: &str) -> ErrorBody {
        assert_eq!(
            self.status,
            status,
            "expected HTTP {status} {code}, got {}: {}",
            self.status,
            String::from_utf8_lossy(&self.body)
        );
        let body = self.error();
        assert_eq!(body.code, code, "error code of HTTP {status}: {body:?}");
        assert!(
            !body.message_vi.is_empty() && !body.message_en.is_empty(),
            "refusals carry messages in both languages: {body:?}"
        );
        body
    }
}

/// A request to build: path, token, body and extra headers.
#[derive(Clone)]
pub struct Raw<'a> {
    pub base: &'a str,
    pub path: &'a str,
    pub token: Option<&'a str>,
    pub body: Vec<u8>,
    pub headers: Vec<(&'a str, String)>,
}

pub fn client() -> Client {
    Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client")
}

impl Raw<'_> {
    pub fn send(self) -> Answer {
        self.send_with(&client())
    }

    pub fn send_with(self, client: &Client) -> Answer {
        let mut request = client
            .post(format!("{}{}", self.base, self.path))
            .header("content-type", "application/json");
        if let Some(t) = self.token {
            request = request.header("authorization", format!("Bearer {t}"));
        }
        for (name, value) in self.headers {
            request = request.header(name, value);
        }
        let response = request.body(self.body).send().expect("send request");
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.bytes().expect("read answer").to_vec();
        Answer {
            status,
            retry_after,
            body,
        }
    }
}

/// POSTs `body` with a bare socket: writes the request (from another thread, so an early answer
/// is read even while the body is still being refused) and reads the status line and the body.
/// The server may close the connection before reading everything: writing errors are ignored.
pub fn post_over_tcp(
    addr: SocketAddr,
    path: &str,
    token: Option<&str>,
    extra_headers: &str,
    body: &[u8],
) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}{extra_headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut writer = stream.try_clone().expect("clone socket");
    let payload: Vec<u8> = head
        .into_bytes()
        .into_iter()
        .chain(body.iter().copied())
        .collect();
    let write = std::thread::spawn(move || {
        let _ = writer.write_all(&payload);
        let _ = writer.flush();
    });
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if raw.is_empty() => panic!("no answer from the server: {e}"),
            Err(_) => break,
        }
        if complete(&raw) {
            break;
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
    let _ = write.join();
    parse(&raw)
}

fn split_head(raw: &[u8]) -> Option<(String, &[u8])> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    Some((
        String::from_utf8_lossy(&raw[..end]).into_owned(),
        &raw[end + 4..],
    ))
}

fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn complete(raw: &[u8]) -> bool {
    match split_head(raw) {
        Some((head, body)) => header(&head, "content-length")
            .and_then(|l| l.parse::<usize>().ok())
            .is_some_and(|l| body.len() >= l),
        None => false,
    }
}

fn parse(raw: &[u8]) -> Answer {
    let (head, body) = split_head(raw)
        .unwrap_or_else(|| panic!("not an HTTP answer: {:?}", String::from_utf8_lossy(raw)));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status code");
    let len = header(&head, "content-length")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(body.len());
    Answer {
        status,
        retry_after: header(&head, "retry-after").map(str::to_owned),
        body: body[..len.min(body.len())].to_vec(),
    }
}

/// gzip of `data`.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).expect("gzip");
    enc.finish().expect("gzip")
}
