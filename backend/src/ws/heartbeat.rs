//! Finding clients that are gone without saying so.
//!
//! After `interval` without a frame from the client the server pings; if nothing at
//! all arrives within `timeout` after that, the client is gone. The timer is re-armed
//! only when it fires, not on every frame: `last_heard` tells then whether the
//! client was silent all along.

use std::pin::Pin;
use std::time::Duration;
use tokio::time::{Instant, Sleep, sleep_until};

/// What the heartbeat asks for when its timer fires.
#[derive(Debug, PartialEq, Eq)]
pub enum Due {
    Ping,
    /// No answer to the ping in time.
    Dead,
}

pub struct Heartbeat {
    timer: Pin<Box<Sleep>>,
    last_heard: Instant,
    awaiting_pong: bool,
    interval: Duration,
    timeout: Duration,
}

impl Heartbeat {
    pub fn new(interval: Duration, timeout: Duration) -> Self {
        let now = Instant::now();
        Self {
            timer: Box::pin(sleep_until(now + interval)),
            last_heard: now,
            awaiting_pong: false,
            interval,
            timeout,
        }
    }

    /// The client sent something: it is alive.
    pub fn heard(&mut self) {
        self.last_heard = Instant::now();
        if self.awaiting_pong {
            self.awaiting_pong = false;
            self.timer.as_mut().reset(self.last_heard + self.interval);
        }
    }

    /// Waits until a ping is due or the client is found dead. Cancel-safe: state
    /// changes only between awaits.
    pub async fn due(&mut self) -> Due {
        loop {
            self.timer.as_mut().await;
            let quiet_until = self.last_heard + self.interval;
            if Instant::now() < quiet_until {
                self.timer.as_mut().reset(quiet_until);
                continue;
            }
            if self.awaiting_pong {
                return Due::Dead;
            }
            self.awaiting_pong = true;
            self.timer.as_mut().reset(Instant::now() + self.timeout);
            return Due::Ping;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTERVAL: Duration = Duration::from_secs(30);
    const TIMEOUT: Duration = Duration::from_secs(10);

    #[tokio::test(start_paused = true)]
    async fn a_silent_client_is_pinged_then_found_dead() {
        let start = Instant::now();
        let mut heartbeat = Heartbeat::new(INTERVAL, TIMEOUT);
        assert_eq!(heartbeat.due().await, Due::Ping);
        assert_eq!(start.elapsed(), INTERVAL);
        assert_eq!(heartbeat.due().await, Due::Dead);
        assert_eq!(start.elapsed(), INTERVAL + TIMEOUT);
    }

    #[tokio::test(start_paused = true)]
    async fn hearing_from_the_client_postpones_the_ping_and_answers_it() {
        let start = Instant::now();
        let mut heartbeat = Heartbeat::new(INTERVAL, TIMEOUT);
        tokio::time::advance(Duration::from_secs(20)).await;
        heartbeat.heard();
        assert_eq!(heartbeat.due().await, Due::Ping);
        assert_eq!(start.elapsed(), Duration::from_secs(50));
        tokio::time::advance(Duration::from_secs(5)).await;
        heartbeat.heard();
        assert_eq!(heartbeat.due().await, Due::Ping);
        assert_eq!(start.elapsed(), Duration::from_secs(85));
    }
}
