//! What a connect attempt means, when to try again, and how fast to start probes.
//!
//! The caller performs attempts and reports each as an [`Attempt`]; [`RetryPolicy::next`] answers
//! with the final [`State`] or a delay before the next attempt. Only timeouts (the packets may have
//! been lost) and local resource exhaustion (no ephemeral port or descriptor free right now) are
//! retried; a refusal or an unreachable network is an answer. [`RateLimiter`] spaces probe starts
//! on a clock the caller passes in (nanoseconds from any fixed origin).

use std::time::Duration;

use super::State;

/// The outcome of one connect attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// The handshake completed. `self_connect`: the local address equals the peer address (a TCP
    /// simultaneous open of a socket with itself, possible on loopback ports in the ephemeral
    /// range): nothing is listening there.
    Connected { self_connect: bool },
    /// The peer answered with a reset.
    Refused,
    /// No answer within the timeout.
    TimedOut,
    /// The host or network is unreachable, or another error the network reported.
    Unreachable,
    /// A local, transient shortage: no free ephemeral port or file descriptor.
    LocalResource,
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The probe's final state.
    Done(State),
    /// Attempt again after this delay.
    RetryAfter(Duration),
}

/// Retries and back-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Extra attempts after a first timeout.
    pub retries: u32,
    /// Delay before the first retry; doubled for each later one, capped at [`Self::MAX_BACKOFF`].
    pub backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            retries: 1,
            backoff: Duration::from_millis(10),
        }
    }
}

impl RetryPolicy {
    /// The longest delay between attempts.
    pub const MAX_BACKOFF: Duration = Duration::from_secs(1);
    /// Extra attempts allowed for local resource shortages, on top of `retries`.
    pub const LOCAL_EXTRA: u32 = 8;

    /// The decision after attempt number `attempt` (1 for the first) ended with `outcome`.
    pub fn next(&self, attempt: u32, outcome: Attempt) -> Next {
        match outcome {
            Attempt::Connected {
                self_connect: false,
            } => Next::Done(State::Open),
            Attempt::Connected { self_connect: true } | Attempt::Refused => {
                Next::Done(State::Closed)
            }
            Attempt::Unreachable => Next::Done(State::Error),
            Attempt::TimedOut if attempt <= self.retries => Next::RetryAfter(self.delay(attempt)),
            Attempt::TimedOut => Next::Done(State::Filtered),
            Attempt::LocalResource if attempt <= self.retries + Self::LOCAL_EXTRA => {
                Next::RetryAfter(self.delay(attempt))
            }
            Attempt::LocalResource => Next::Done(State::Error),
        }
    }

    fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32 << attempt.saturating_sub(1).min(20);
        self.backoff
            .checked_mul(factor)
            .unwrap_or(Self::MAX_BACKOFF)
            .min(Self::MAX_BACKOFF)
    }
}

/// Spaces probe starts at most `rate` per second (GCRA, a token bucket of `burst` tokens), on a
/// clock the caller passes in as nanoseconds.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    interval_ns: u64,
    tolerance_ns: u64,
    /// The theoretical arrival time of the next probe.
    tat_ns: u64,
}

impl RateLimiter {
    /// `rate` probes per second (at least 1), bursts of up to `burst` (at least 1).
    pub fn new(rate: u64, burst: u64) -> RateLimiter {
        let rate = rate.max(1);
        let interval_ns = 1_000_000_000u64.div_ceil(rate);
        RateLimiter {
            interval_ns,
            tolerance_ns: interval_ns.saturating_mul(burst.max(1) - 1),
            tat_ns: 0,
        }
    }

    /// Reserves the next start: returns the time (same clock as `now_ns`) at which the probe may
    /// start, `now_ns` itself when no wait is needed. Each call reserves one slot.
    pub fn reserve(&mut self, now_ns: u64) -> u64 {
        let tat = self.tat_ns.max(now_ns);
        let start = tat.saturating_sub(self.tolerance_ns).max(now_ns);
        self.tat_ns = tat.saturating_add(self.interval_ns);
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_final() {
        let p = RetryPolicy::default();
        let done = |a| p.next(1, a);
        assert_eq!(
            done(Attempt::Connected {
                self_connect: false
            }),
            Next::Done(State::Open)
        );
        assert_eq!(
            done(Attempt::Connected { self_connect: true }),
            Next::Done(State::Closed)
        );
        assert_eq!(done(Attempt::Refused), Next::Done(State::Closed));
        assert_eq!(done(Attempt::Unreachable), Next::Done(State::Error));
    }

    #[test]
    fn timeouts_retry_then_filter() {
        let p = RetryPolicy {
            retries: 3,
            backoff: Duration::from_millis(100),
        };
        assert_eq!(
            p.next(1, Attempt::TimedOut),
            Next::RetryAfter(Duration::from_millis(100))
        );
        assert_eq!(
            p.next(2, Attempt::TimedOut),
            Next::RetryAfter(Duration::from_millis(200))
        );
        assert_eq!(
            p.next(3, Attempt::TimedOut),
            Next::RetryAfter(Duration::from_millis(400))
        );
        assert_eq!(p.next(4, Attempt::TimedOut), Next::Done(State::Filtered));
        let none = RetryPolicy { retries: 0, ..p };
        assert_eq!(none.next(1, Attempt::TimedOut), Next::Done(State::Filtered));
    }

    #[test]
    fn backoff_is_capped_and_local_shortage_is_bounded() {
        let p = RetryPolicy {
            retries: 40,
            backoff: Duration::from_millis(300),
        };
        assert_eq!(
            p.next(3, Attempt::TimedOut),
            Next::RetryAfter(RetryPolicy::MAX_BACKOFF)
        );
        assert_eq!(
            p.next(40, Attempt::TimedOut),
            Next::RetryAfter(RetryPolicy::MAX_BACKOFF)
        );
        let p = RetryPolicy::default();
        let last = p.retries + RetryPolicy::LOCAL_EXTRA;
        assert!(matches!(
            p.next(last, Attempt::LocalResource),
            Next::RetryAfter(_)
        ));
        assert_eq!(
            p.next(last + 1, Attempt::LocalResource),
            Next::Done(State::Error)
        );
    }

    /// Drives the limiter with a simulated clock: every caller asks at its own time, waits until
    /// the reserved start, and no window of one second ever holds more than `rate + burst - 1`.
    #[test]
    fn rate_limiter_on_a_simulated_clock() {
        let mut rl = RateLimiter::new(100, 1);
        let starts: Vec<u64> = (0..5).map(|_| rl.reserve(0)).collect();
        assert_eq!(
            starts,
            vec![0, 10_000_000, 20_000_000, 30_000_000, 40_000_000]
        );
        // After idling, the next probe may start at once, and the spacing resumes from there.
        assert_eq!(rl.reserve(1_000_000_000), 1_000_000_000);
        assert_eq!(rl.reserve(1_000_000_001), 1_010_000_000);

        let rate = 50;
        let burst = 5;
        let mut rl = RateLimiter::new(rate, burst);
        let mut clock = 0u64;
        let mut started = Vec::new();
        for i in 0..400u64 {
            // Callers arrive unevenly: bursts of arrivals, then gaps.
            clock += if i % 37 == 0 { 300_000_000 } else { 1_000 };
            let start = rl.reserve(clock);
            assert!(start >= clock);
            started.push(start);
        }
        started.sort_unstable();
        for (i, &t) in started.iter().enumerate() {
            let in_window = started[i..]
                .iter()
                .take_while(|&&u| u < t + 1_000_000_000)
                .count() as u64;
            assert!(
                in_window < rate + burst,
                "{in_window} starts within 1 s of {t}"
            );
        }
        // A burst of `burst` may start together.
        let mut rl = RateLimiter::new(10, 3);
        let now = 5_000_000_000;
        assert_eq!(rl.reserve(now), now);
        assert_eq!(rl.reserve(now), now);
        assert_eq!(rl.reserve(now), now);
        assert_eq!(rl.reserve(now), now + 100_000_000);
    }
}
