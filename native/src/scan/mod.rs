//! The scan engine: non-blocking TCP connects on one tokio runtime per process, with bounded
//! concurrency fitted to `RLIMIT_NOFILE`, host-name resolution, and optional banner reads.
//!
//! Policy (what an attempt means, retries, back-off, rate) comes from `conclave_core::scan`; this
//! file only performs attempts and reports them. Each in-flight probe holds one socket, so the
//! number of workers is capped by the descriptor limit (the soft limit is raised to the hard one
//! first, as nmap does). Sockets are closed with `SO_LINGER` 0 (a reset), so scanning many open
//! ports leaves no `TIME_WAIT` behind to exhaust the ephemeral range.
//!
//! Why connects are not simply `TcpSocket::connect().await`: on loopback (and on any fast network)
//! most answers are in before the first look, so each attempt looks once right after `connect(2)`
//! and only registers pending ones with the runtime; refused sockets are reset and reused
//! ([`Spare`]). A refused port costs three system calls instead of tokio's seven plus a wake-up,
//! which is what puts an all-ports loopback scan well under nmap's CPU time.
//!
//! Host names resolve through the system resolver (`getaddrinfo`), and EVERY address it returns
//! (IPv4 and IPv6) is probed, de-duplicated in resolver order.
//!
//! This file depends only on tokio, libc and conclave-core, so the benches include it as is.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use conclave_core::scan::State;
use conclave_core::scan::policy::{Attempt, Next, RateLimiter, RetryPolicy};
use conclave_core::scan::report::{clean_banner, round_ms};
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio::runtime::Runtime;
use tokio::time::Instant;

/// Descriptors kept free for everything that is not a probe socket.
const FD_RESERVE: usize = 64;
/// The longest wait for a banner after connecting (services that wait for the client send none).
const BANNER_WAIT: Duration = Duration::from_millis(500);

/// How to probe.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Per-attempt connect timeout.
    pub timeout: Duration,
    /// Probes in flight at once (already fitted by [`fit_concurrency`]).
    pub concurrency: usize,
    pub retry: RetryPolicy,
    /// Probe starts per second, if limited.
    pub rate: Option<u64>,
    /// Read what an open service sends first.
    pub banner: bool,
}

/// The answer for one address and port.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub state: State,
    pub latency_ms: f64,
    pub banner: Option<String>,
}

/// The process's one runtime: multi-threaded, one worker per core.
pub fn runtime() -> &'static Runtime {
    static RT: OnceLock<Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("conclave-scan")
            .build()
            // Without a runtime nothing can be scanned; this fails only when threads cannot start.
            .unwrap_or_else(|e| panic!("cannot start the tokio runtime: {e}"))
    })
}

/// Raises the soft descriptor limit to the hard limit and returns the concurrency that fits:
/// `requested`, capped at the limit minus a reserve, at least 1.
pub fn fit_concurrency(requested: usize) -> usize {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read or write the struct we pass.
    let soft = unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            1024
        } else {
            if lim.rlim_cur < lim.rlim_max {
                let raised = libc::rlimit {
                    rlim_cur: lim.rlim_max,
                    rlim_max: lim.rlim_max,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    lim.rlim_cur = lim.rlim_max;
                }
            }
            lim.rlim_cur
        }
    };
    let soft = usize::try_from(soft).unwrap_or(usize::MAX);
    requested.min(soft.saturating_sub(FD_RESERVE)).max(1)
}

/// Resolves a host name to all its addresses, de-duplicated in resolver order.
pub async fn resolve(name: &str) -> io::Result<Vec<IpAddr>> {
    let mut out: Vec<IpAddr> = Vec::new();
    for sa in tokio::net::lookup_host((name, 0)).await? {
        if !out.contains(&sa.ip()) {
            out.push(sa.ip());
        }
    }
    if out.is_empty() {
        return Err(io::Error::new(io::ErrorKind::NotFound, "no addresses"));
    }
    Ok(out)
}

/// Whether a connected stream is connected to itself (TCP simultaneous open on loopback).
pub fn is_self_connect(stream: &std::net::TcpStream) -> bool {
    matches!((stream.local_addr(), stream.peer_addr()), (Ok(l), Ok(p)) if l == p)
}

fn classify(e: &io::Error) -> Attempt {
    if e.kind() == io::ErrorKind::ConnectionRefused {
        return Attempt::Refused;
    }
    match e.raw_os_error() {
        Some(libc::ETIMEDOUT) => Attempt::TimedOut,
        Some(
            libc::EADDRNOTAVAIL
            | libc::EMFILE
            | libc::ENFILE
            | libc::ENOBUFS
            | libc::EAGAIN
            | libc::ENOMEM,
        ) => Attempt::LocalResource,
        _ => Attempt::Unreachable,
    }
}

/// Where a non-blocking connect stands right after the call.
enum Early {
    Failed(io::Error),
    Connected(std::net::TcpStream),
    Pending(std::net::TcpStream),
}

/// `addr` as a C socket address.
fn sockaddr(addr: SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: an all-zero sockaddr_storage is a valid value.
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match addr {
        SocketAddr::V4(a) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: a.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from_ne_bytes(a.ip().octets()),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_storage is larger than sockaddr_in and aligned for it.
            unsafe { std::ptr::write((&raw mut storage).cast::<libc::sockaddr_in>(), sin) };
            std::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(a) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: a.port().to_be(),
                sin6_flowinfo: a.flowinfo(),
                sin6_addr: libc::in6_addr {
                    s6_addr: a.ip().octets(),
                },
                sin6_scope_id: a.scope_id(),
            };
            // SAFETY: sockaddr_storage is larger than sockaddr_in6 and aligned for it.
            unsafe { std::ptr::write((&raw mut storage).cast::<libc::sockaddr_in6>(), sin6) };
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (storage, len as libc::socklen_t)
}

/// Sockets kept by one worker for its next probes: a socket whose connect was refused is reset to
/// its unconnected state (`connect` to `AF_UNSPEC`) and used again, which saves a `socket` and a
/// `close` per refused port. Only refused sockets are kept: they were in `TCP_CLOSE` with their
/// error consumed, so the reset leaves no state behind (a reset of a connected or connecting socket
/// would leave `ECONNRESET` pending, so those are closed instead).
#[derive(Default)]
pub struct Spare {
    v4: Option<std::net::TcpStream>,
    v6: Option<std::net::TcpStream>,
}

impl Spare {
    fn slot(&mut self, addr: SocketAddr) -> &mut Option<std::net::TcpStream> {
        if addr.is_ipv4() {
            &mut self.v4
        } else {
            &mut self.v6
        }
    }

    /// Resets a refused socket and keeps it for the next probe of the same family.
    fn keep(&mut self, addr: SocketAddr, stream: std::net::TcpStream) {
        // SAFETY: an all-zero sockaddr is AF_UNSPEC (0), which `connect` treats as "disconnect".
        let unspec: libc::sockaddr = unsafe { std::mem::zeroed() };
        // SAFETY: `unspec` is a valid sockaddr of the size passed.
        let rc = unsafe {
            libc::connect(
                std::os::fd::AsRawFd::as_raw_fd(&stream),
                &raw const unspec,
                std::mem::size_of::<libc::sockaddr>() as libc::socklen_t,
            )
        };
        if rc == 0 {
            *self.slot(addr) = Some(stream);
        }
    }
}

fn new_socket(addr: SocketAddr) -> io::Result<std::net::TcpStream> {
    let domain = if addr.is_ipv4() {
        libc::AF_INET
    } else {
        libc::AF_INET6
    };
    // SAFETY: a plain socket(2) call; the result is checked.
    let fd = unsafe {
        libc::socket(
            domain,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` is a fresh socket owned by nothing else; the stream closes it on drop.
    Ok(unsafe { <std::net::TcpStream as std::os::fd::FromRawFd>::from_raw_fd(fd) })
}

/// Starts a non-blocking connect and looks at the socket once before any event registration: on
/// loopback the kernel has usually finished the handshake or taken the reset by then, which saves
/// the epoll registration, the wake-up and the deregistration of the common case.
fn start_connect(addr: SocketAddr, spare: &mut Spare) -> io::Result<Early> {
    let (sa, len) = sockaddr(addr);
    let mut reused = spare.slot(addr).take();
    loop {
        let was_reused = reused.is_some();
        let stream = match reused.take() {
            Some(stream) => stream,
            None => new_socket(addr)?,
        };
        let fd = std::os::fd::AsRawFd::as_raw_fd(&stream);
        // SAFETY: `sa` holds a valid socket address of `len` bytes for the socket's family.
        let rc = unsafe { libc::connect(fd, (&raw const sa).cast::<libc::sockaddr>(), len) };
        if rc == 0 {
            return Ok(Early::Connected(stream));
        }
        let err = io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::EINPROGRESS) {
            if was_reused {
                // Anything unexpected from a reused socket: start over with a fresh one.
                continue;
            }
            return Ok(Early::Failed(err));
        }
        if let Some(e) = stream.take_error()? {
            if e.kind() == io::ErrorKind::ConnectionRefused {
                spare.keep(addr, stream);
            }
            return Ok(Early::Failed(e));
        }
        return Ok(if stream.peer_addr().is_ok() {
            Early::Connected(stream)
        } else {
            Early::Pending(stream)
        });
    }
}

/// Waits for a pending connect until `deadline`: the connected stream, or the attempt's outcome.
async fn finish_connect(
    stream: std::net::TcpStream,
    deadline: Instant,
) -> Result<std::net::TcpStream, Attempt> {
    let stream = TcpStream::from_std(stream).map_err(|e| classify(&e))?;
    loop {
        match tokio::time::timeout_at(deadline, stream.writable()).await {
            Err(_) => return Err(Attempt::TimedOut),
            Ok(Err(e)) => return Err(classify(&e)),
            Ok(Ok(())) => {}
        }
        match stream.take_error() {
            Ok(Some(e)) | Err(e) => return Err(classify(&e)),
            Ok(None) => {}
        }
        if stream.peer_addr().is_ok() {
            return stream.into_std().map_err(|e| classify(&e));
        }
        // Readiness without a result: clear it and wait for the next event.
        let _ = stream.try_io(tokio::io::Interest::WRITABLE, || {
            Err::<(), _>(io::ErrorKind::WouldBlock.into())
        });
    }
}

/// Closes with a reset rather than a FIN: no TIME_WAIT is left behind to exhaust the ephemeral
/// range when many open ports are scanned.
fn set_zero_linger(stream: &std::net::TcpStream) {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: setsockopt on a socket we own, with a correctly sized `linger` value.
    unsafe {
        libc::setsockopt(
            std::os::fd::AsRawFd::as_raw_fd(stream),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&raw const linger).cast::<libc::c_void>(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

/// One connect attempt: the outcome, its duration, and the banner if asked and sent.
async fn attempt(
    addr: SocketAddr,
    s: &Settings,
    spare: &mut Spare,
) -> (Attempt, Duration, Option<String>) {
    let start = Instant::now();
    let stream = match start_connect(addr, spare) {
        Err(e) | Ok(Early::Failed(e)) => return (classify(&e), start.elapsed(), None),
        Ok(Early::Connected(stream)) => stream,
        Ok(Early::Pending(stream)) => match finish_connect(stream, start + s.timeout).await {
            Ok(stream) => stream,
            Err(outcome) => return (outcome, start.elapsed(), None),
        },
    };
    let took = start.elapsed();
    set_zero_linger(&stream);
    let self_connect = is_self_connect(&stream);
    let mut banner = None;
    if s.banner
        && !self_connect
        && let Ok(mut stream) = TcpStream::from_std(stream)
    {
        let mut buf = [0u8; 512];
        let wait = s.timeout.min(BANNER_WAIT);
        if let Ok(Ok(n)) = tokio::time::timeout(wait, stream.read(&mut buf)).await {
            banner = clean_banner(&buf[..n]);
        }
    }
    (Attempt::Connected { self_connect }, took, banner)
}

/// Spaces probe starts on the engine's clock.
struct Limiter {
    origin: Instant,
    inner: Mutex<RateLimiter>,
}

impl Limiter {
    async fn wait(&self) {
        let now = u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(u64::MAX);
        let start = match self.inner.lock() {
            Ok(mut rl) => rl.reserve(now),
            Err(poisoned) => poisoned.into_inner().reserve(now),
        };
        if start > now {
            tokio::time::sleep_until(self.origin + Duration::from_nanos(start)).await;
        }
    }
}

/// Probes one address and port to a final state, retrying as the policy says.
async fn probe(
    addr: SocketAddr,
    s: &Settings,
    limiter: Option<&Limiter>,
    spare: &mut Spare,
) -> Outcome {
    let mut n = 1u32;
    loop {
        if let Some(l) = limiter {
            l.wait().await;
        }
        let (outcome, took, banner) = attempt(addr, s, spare).await;
        match s.retry.next(n, outcome) {
            Next::Done(state) => {
                return Outcome {
                    state,
                    latency_ms: round_ms(took.as_secs_f64() * 1000.0),
                    banner,
                };
            }
            Next::RetryAfter(delay) => {
                tokio::time::sleep(delay).await;
                n += 1;
            }
        }
    }
}

/// The state of a running scan, shared between its workers and whoever watches it: one slot per
/// address (each written once, by the worker that probed it), a count of answers, a stop flag.
#[derive(Debug)]
pub struct Shared {
    pub results: Box<[OnceLock<Outcome>]>,
    pub done: AtomicUsize,
    pub cancel: AtomicBool,
}

impl Shared {
    /// Empty slots for `n` addresses.
    pub fn new(n: usize) -> Shared {
        Shared {
            results: (0..n).map(|_| OnceLock::new()).collect(),
            done: AtomicUsize::new(0),
            cancel: AtomicBool::new(false),
        }
    }
}

/// Probes every address with `s.concurrency` workers, storing each answer in its slot as it ends.
/// Workers stop taking new probes once `shared.cancel` is set. Returns when all workers are done.
pub async fn scan(addrs: Arc<[SocketAddr]>, s: Arc<Settings>, shared: Arc<Shared>) {
    let next = Arc::new(AtomicUsize::new(0));
    let limiter = s.rate.map(|rate| {
        Arc::new(Limiter {
            origin: Instant::now(),
            inner: Mutex::new(RateLimiter::new(rate, 1)),
        })
    });
    let workers = s.concurrency.clamp(1, addrs.len().max(1));
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..workers {
        let (addrs, s, shared, next, limiter) = (
            addrs.clone(),
            s.clone(),
            shared.clone(),
            next.clone(),
            limiter.clone(),
        );
        set.spawn(async move {
            let mut since_yield = 0u32;
            let mut spare = Spare::default();
            while !shared.cancel.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&addr) = addrs.get(i) else { break };
                let outcome = probe(addr, &s, limiter.as_deref(), &mut spare).await;
                if let Some(slot) = shared.results.get(i) {
                    let _ = slot.set(outcome);
                    shared.done.fetch_add(1, Ordering::Relaxed);
                }
                // Answers found without waiting never return to the scheduler on their own; give
                // it a turn now and then so timers, signals and other workers keep running.
                since_yield += 1;
                if since_yield == 32 {
                    since_yield = 0;
                    tokio::task::yield_now().await;
                }
            }
        });
    }
    while set.join_next().await.is_some() {}
}

/// Scans `addrs` to completion on the process runtime and returns outcomes in input order.
pub fn scan_all(addrs: Vec<SocketAddr>, s: Settings) -> Vec<Outcome> {
    let shared = Arc::new(Shared::new(addrs.len()));
    runtime().block_on(scan(addrs.into(), Arc::new(s), shared.clone()));
    shared
        .results
        .iter()
        .map(|slot| {
            slot.get().cloned().unwrap_or(Outcome {
                state: State::Error,
                latency_ms: 0.0,
                banner: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A port that refuses connections and that nothing else can take while the socket lives:
    /// bound, not listening (a released port could be reused by another process mid-test).
    fn refused(addr: &str) -> tokio::net::TcpSocket {
        let addr: SocketAddr = addr.parse().unwrap();
        let s = if addr.is_ipv4() {
            tokio::net::TcpSocket::new_v4()
        } else {
            tokio::net::TcpSocket::new_v6()
        }
        .unwrap();
        s.bind(addr).unwrap();
        s
    }

    fn settings() -> Settings {
        Settings {
            timeout: Duration::from_millis(1000),
            concurrency: 64,
            retry: RetryPolicy::default(),
            rate: None,
            banner: true,
        }
    }

    /// A socket bound to a free loopback port and connected to that same port connects to itself
    /// (TCP simultaneous open); the engine must see it.
    #[test]
    fn self_connect_is_detected() {
        runtime().block_on(async {
            let mut found = false;
            for _ in 0..20 {
                let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                let addr = probe.local_addr().unwrap();
                drop(probe);
                let sock = tokio::net::TcpSocket::new_v4().unwrap();
                if sock.bind(addr).is_err() {
                    continue;
                }
                if let Ok(stream) = sock.connect(addr).await {
                    assert!(is_self_connect(&stream.into_std().unwrap()));
                    found = true;
                    break;
                }
            }
            assert!(found, "could not make a self-connected socket");
            // An ordinary connection is not a self-connect.
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let stream = TcpStream::connect(l.local_addr().unwrap()).await.unwrap();
            assert!(!is_self_connect(&stream.into_std().unwrap()));
        });
    }

    #[test]
    fn open_closed_and_banner() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let open = l.local_addr().unwrap();
        let refusing = refused("127.0.0.1:0");
        let closed = refusing.local_addr().unwrap();
        let server = std::thread::spawn(move || {
            use std::io::Write;
            let (mut c, _) = l.accept().unwrap();
            let _ = c.write_all(b"HELLO conclave\r\n");
            std::thread::sleep(Duration::from_millis(200));
        });
        let out = scan_all(vec![open, closed], settings());
        server.join().unwrap();
        assert_eq!(out[0].state, State::Open);
        assert_eq!(out[0].banner.as_deref(), Some("HELLO conclave"));
        assert_eq!(out[1].state, State::Closed);
        assert_eq!(out[1].banner, None);
    }

    /// One worker probing closed and open ports of both families in turn reuses its refused
    /// sockets: every answer must stay exact, whatever the previous probe on the socket was.
    #[test]
    fn reused_sockets_keep_answers_exact() {
        let mut held = Vec::new();
        let mut refusing = Vec::new();
        let mut addrs = Vec::new();
        let mut want = Vec::new();
        for i in 0..40 {
            let ip = if i % 3 == 0 { "[::1]:0" } else { "127.0.0.1:0" };
            let l = std::net::TcpListener::bind(ip).unwrap();
            let addr = l.local_addr().unwrap();
            if i % 2 == 0 {
                held.push(l);
                want.push(State::Open);
                addrs.push(addr);
            } else {
                drop(l);
                let r = refused(ip);
                addrs.push(r.local_addr().unwrap());
                refusing.push(r);
                want.push(State::Closed);
            }
        }
        // Runs of closed ports too, so that a socket is reused several times in a row.
        for _ in 0..10 {
            let r = refused("127.0.0.1:0");
            addrs.push(r.local_addr().unwrap());
            refusing.push(r);
            want.push(State::Closed);
        }
        for concurrency in [1, 4] {
            let s = Settings {
                concurrency,
                banner: false,
                ..settings()
            };
            let got: Vec<State> = scan_all(addrs.clone(), s).iter().map(|o| o.state).collect();
            assert_eq!(got, want, "concurrency {concurrency}");
        }
        drop((held, refusing));
    }

    #[test]
    fn concurrency_fits_the_descriptor_limit() {
        let fitted = fit_concurrency(usize::MAX);
        assert!(fitted >= 1);
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: reads the limit into our struct.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
        assert_eq!(fitted as u64, lim.rlim_cur.saturating_sub(64).max(1));
        assert_eq!(fit_concurrency(10), 10.min(fitted));
        assert_eq!(fit_concurrency(0), 1);
    }
}
