//! The server under soak: started, killed with SIGKILL and started again on the
//! same port and database, its memory sampled all along.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Supervised {
    binary: PathBuf,
    db: PathBuf,
    child: Child,
    /// `127.0.0.1:PORT`, kept across restarts so clients find it again.
    pub addr: String,
    pub restarts: u32,
}

/// One reading of the server's resident memory.
#[derive(Debug, Clone, Copy)]
pub struct RssSample {
    pub at: Duration,
    /// Which run of the process (0 before the first kill).
    pub run: u32,
    pub rss_bytes: u64,
}

impl Supervised {
    pub fn start(binary: &Path, db: &Path) -> anyhow::Result<Self> {
        let (child, addr) = spawn(binary, db, "127.0.0.1:0")?;
        Ok(Self {
            binary: binary.to_owned(),
            db: db.to_owned(),
            child,
            addr,
            restarts: 0,
        })
    }

    /// `kill -9`, then a new process on the same address and database.
    pub fn crash_and_restart(&mut self) -> anyhow::Result<()> {
        self.child.kill()?;
        self.child.wait()?;
        let started = Instant::now();
        // The port may linger for a moment; keep trying.
        loop {
            match spawn(&self.binary, &self.db, &self.addr) {
                Ok((child, _)) => {
                    self.child = child;
                    self.restarts += 1;
                    return Ok(());
                }
                Err(error) if started.elapsed() < Duration::from_secs(10) => {
                    eprintln!("restart failed ({error}); retrying");
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(error) => return Err(error),
            }
        }
    }

    pub fn sample(&self, at: Duration) -> Option<RssSample> {
        let sample = crate::proc_stats::sample(&self.child.id().to_string())?;
        Some(RssSample {
            at,
            run: self.restarts,
            rss_bytes: sample.rss_bytes,
        })
    }

    /// SIGTERM, and wait for the drain.
    pub fn stop(&mut self) -> anyhow::Result<()> {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        self.child.wait()?;
        Ok(())
    }

    pub fn restart_cleanly(&mut self) -> anyhow::Result<()> {
        self.stop()?;
        let (child, _) = spawn(&self.binary, &self.db, &self.addr)?;
        self.child = child;
        Ok(())
    }
}

impl Drop for Supervised {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(binary: &Path, db: &Path, addr: &str) -> anyhow::Result<(Child, String)> {
    let mut child = Command::new(binary)
        .args(["--addr", addr, "--db"])
        .arg(db)
        // Clients send a few messages a second and resend bursts after a crash.
        .args([
            "--rate-per-sec",
            "50",
            "--rate-burst",
            "200",
            "--room-archive-after",
            "0",
        ])
        .env("RUST_LOG", "confab=warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped")).read_line(&mut line)?;
    let Some(bound) = line.trim().strip_prefix("confab listening on http://") else {
        let _ = child.kill();
        let _ = child.wait();
        anyhow::bail!("confab did not start: {line:?}");
    };
    Ok((child, bound.to_owned()))
}
