//! Sign-in attempts are limited per account name and per client address, so a
//! password cannot be guessed quickly from one place, nor one account from many.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// Past this many tracked keys, keys whose buckets are full again are dropped, so
/// a flood of names or addresses cannot grow memory without bound.
const MAX_TRACKED: usize = 10_000;

pub struct SignInLimits {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

impl SignInLimits {
    /// `per_account` attempts a minute for one name; `per_address` attempts (sign
    /// in or sign up) a minute from one address. Both may come in one burst.
    pub fn new(per_account: u32, per_address: u32) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).expect("at least 1"));
        Self {
            per_account: RateLimiter::keyed(quota(per_account)),
            per_address: RateLimiter::keyed(quota(per_address)),
        }
    }

    /// Takes one attempt for `address` (and `account`'s name key, if signing in);
    /// Err with how long to wait if either is spent.
    pub fn check(&self, address: IpAddr, account: Option<&str>) -> Result<(), Duration> {
        let now = DefaultClock::default().now();
        if self.per_address.len() > MAX_TRACKED {
            self.per_address.retain_recent();
        }
        if self.per_account.len() > MAX_TRACKED {
            self.per_account.retain_recent();
        }
        self.per_address
            .check_key(&address)
            .map_err(|wait| wait.wait_time_from(now))?;
        if let Some(account) = account {
            self.per_account
                .check_key(&account.to_owned())
                .map_err(|wait| wait.wait_time_from(now))?;
        }
        Ok(())
    }
}
