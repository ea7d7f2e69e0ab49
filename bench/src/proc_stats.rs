//! CPU time and resident memory of a process, from /proc (Linux).

/// Clock ticks per second for /proc/*/stat times; 100 on every Linux we target.
const TICKS_PER_SEC: f64 = 100.0;

#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// User plus system CPU time, in seconds.
    pub cpu_secs: f64,
    pub rss_bytes: u64,
}

/// `pid` "self" or a number.
pub fn sample(pid: &str) -> Option<Sample> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches(" kB")
        .trim()
        .parse()
        .ok()?;
    Some(Sample {
        cpu_secs: (utime + stime) / TICKS_PER_SEC,
        rss_bytes: rss_kb * 1024,
    })
}

/// CPU seconds used between two samples.
pub fn cpu_between(before: Option<Sample>, after: Option<Sample>) -> Option<f64> {
    Some(after?.cpu_secs - before?.cpu_secs)
}

#[cfg(test)]
mod tests {
    #[test]
    fn samples_itself() {
        let s = super::sample("self").expect("/proc is readable");
        assert!(s.rss_bytes > 0);
    }
}
