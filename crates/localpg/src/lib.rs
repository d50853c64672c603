//! A private PostgreSQL cluster started from the machine's own binaries (`initdb`, `pg_ctl`),
//! with no service and no setup: the server's default when no `DATABASE_URL` is given, and the
//! throw-away cluster every test run starts once.
//!
//! PostgreSQL refuses to run as root, so as root every command runs as the `postgres` user and
//! the data folder must be reachable by it. A watchdog process stops the cluster when the
//! process that started it dies, even by SIGKILL, so no cluster outlives its owner.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum LocalPgError {
    #[error(
        "no PostgreSQL server binaries found (looked for initdb on PATH and under /usr/lib/postgresql/*/bin); \
         install them, e.g. `apt-get install postgresql`, or set DATABASE_URL"
    )]
    BinariesNotFound,
    #[error(
        "the `postgres` user is needed to run PostgreSQL as root; install Debian's postgresql package"
    )]
    NoPostgresUser,
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

/// How the cluster is tuned: durable for the product, fast for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    Durable,
    /// fsync off: a crash may lose the cluster, which is what a test run wants.
    Throwaway,
}

/// A running cluster on 127.0.0.1. Dropping it stops it.
#[derive(Debug)]
pub struct LocalPostgres {
    bin_dir: PathBuf,
    data_dir: PathBuf,
    port: u16,
    as_postgres_user: bool,
    remove_on_stop: bool,
    stopped: bool,
}

impl LocalPostgres {
    /// Starts (initialising on first use) the cluster whose data lives in `data_dir`.
    pub fn start(data_dir: &Path, durability: Durability) -> Result<LocalPostgres, LocalPgError> {
        let bin_dir = find_binaries()?;
        let as_postgres_user = is_root();
        if as_postgres_user && !postgres_user_exists() {
            return Err(LocalPgError::NoPostgresUser);
        }
        std::fs::create_dir_all(data_dir)?;
        let data_dir = data_dir.canonicalize()?;
        if as_postgres_user {
            run(
                Command::new("chown")
                    .arg("-R")
                    .arg("postgres:")
                    .arg(&data_dir),
                "chown of the data folder",
            )?;
            run(
                Command::new("chmod").arg("700").arg(&data_dir),
                "chmod of the data folder",
            )?;
        }
        let mut pg = LocalPostgres {
            bin_dir,
            data_dir,
            port: 0,
            as_postgres_user,
            remove_on_stop: false,
            stopped: false,
        };
        if !pg.data_dir.join("PG_VERSION").exists() {
            tracing::info!(data_dir = %pg.data_dir.display(), "initialising a private PostgreSQL cluster");
            pg.run_pg("initdb", |c| {
                c.arg("-D")
                    .arg(&pg.data_dir)
                    .args(["-U", "postgres", "--auth=trust", "-E", "UTF8"])
                    .args(["--locale=C.UTF-8", "--no-instructions"]);
            })?;
        }
        // A cluster left running by a process that died before its watchdog stopped it.
        if pg.data_dir.join("postmaster.pid").exists() {
            let _ = pg.run_pg("pg_ctl", |c| {
                c.arg("-D")
                    .arg(&pg.data_dir)
                    .args(["stop", "-m", "immediate", "-w"]);
            });
        }
        // A port picked free can be taken before the postmaster binds it, and a start can fail
        // for reasons the log alone explains: try a few times, and say what the log said.
        const ATTEMPTS: usize = 3;
        for attempt in 1..=ATTEMPTS {
            pg.port = free_port()?;
            match pg.start_postmaster(durability) {
                Ok(()) => break,
                Err(e) if attempt < ATTEMPTS => {
                    tracing::warn!(attempt, error = %e, "private PostgreSQL did not start; retrying");
                }
                Err(e) => return Err(e),
            }
        }
        pg.spawn_watchdog(std::process::id())?;
        tracing::info!(port = pg.port, "private PostgreSQL started");
        Ok(pg)
    }

    /// One `pg_ctl start` on `self.port`; on failure the error carries the end of the log.
    fn start_postmaster(&self, durability: Durability) -> Result<(), LocalPgError> {
        let mut options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300",
            self.port
        );
        if durability == Durability::Throwaway {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let log = self.data_dir.join("server.log");
        let _ = std::fs::remove_file(&log);
        let started = self.run_pg("pg_ctl", |c| {
            c.arg("-D")
                .arg(&self.data_dir)
                .arg("-o")
                .arg(&options)
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "60", "start"]);
        });
        let Err(LocalPgError::Command { what, detail }) = started else {
            return started.map(|_| ());
        };
        // A postmaster still coming up after pg_ctl gave up must not hold the folder.
        if self.data_dir.join("postmaster.pid").exists() {
            let _ = self.run_pg("pg_ctl", |c| {
                c.arg("-D")
                    .arg(&self.data_dir)
                    .args(["stop", "-m", "immediate", "-w"]);
            });
        }
        let tail = std::fs::read_to_string(&log)
            .map(|text| {
                let lines: Vec<&str> = text.lines().collect();
                lines[lines.len().saturating_sub(15)..].join("\n")
            })
            .unwrap_or_else(|e| format!("(no server log: {e})"));
        Err(LocalPgError::Command {
            what,
            detail: format!("{detail}\nport {}; end of server.log:\n{tail}", self.port),
        })
    }

    /// A throw-away cluster in a fresh folder under the system temp dir, removed when stopped.
    ///
    /// Folders of earlier temporary clusters whose owning process is gone are removed first:
    /// a test run killed outright (its watchdog with it) must not leave gigabytes behind.
    pub fn start_temporary() -> Result<LocalPostgres, LocalPgError> {
        sweep_abandoned_temporaries();
        let dir = std::env::temp_dir().join(format!(
            "{TEMPORARY_PREFIX}{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        match LocalPostgres::start(&dir, Durability::Throwaway) {
            Ok(mut pg) => {
                pg.remove_on_stop = true;
                Ok(pg)
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                Err(e)
            }
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The connection URL of database `database` (trust authentication on loopback).
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates `database` unless it exists.
    pub fn ensure_database(&self, database: &str) -> Result<(), LocalPgError> {
        let exists = self.psql(&format!(
            "SELECT 1 FROM pg_database WHERE datname = '{}'",
            database.replace('\'', "''")
        ))?;
        if exists.trim() != "1" {
            self.psql(&format!(
                "CREATE DATABASE \"{}\"",
                database.replace('"', "")
            ))?;
        }
        Ok(())
    }

    fn psql(&self, sql: &str) -> Result<String, LocalPgError> {
        let mut c = Command::new(self.bin_dir.join("psql"));
        c.args([
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-tAq",
        ])
        .arg("-p")
        .arg(self.port.to_string())
        .arg("-c")
        .arg(sql);
        run(&mut c, "psql")
    }

    /// Stops the cluster (fast shutdown) and, for a temporary one, removes its folder.
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let result = self.run_pg("pg_ctl", |c| {
            c.arg("-D")
                .arg(&self.data_dir)
                .args(["stop", "-m", "fast", "-w"]);
        });
        match result {
            Ok(_) => tracing::info!("private PostgreSQL stopped"),
            Err(e) => tracing::warn!(error = %e, "stopping the private PostgreSQL"),
        }
        if self.remove_on_stop {
            let _ = std::fs::remove_dir_all(&self.data_dir);
        }
    }

    /// Runs a PostgreSQL binary, as the `postgres` user when we are root.
    fn run_pg(
        &self,
        binary: &str,
        args: impl FnOnce(&mut Command),
    ) -> Result<String, LocalPgError> {
        let path = self.bin_dir.join(binary);
        let mut c = if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        args(&mut c);
        run(&mut c, binary)
    }

    /// The process id the running postmaster wrote on the first line of `postmaster.pid`.
    fn postmaster_pid(&self) -> Result<String, LocalPgError> {
        let text = std::fs::read_to_string(self.data_dir.join("postmaster.pid"))?;
        Ok(text.lines().next().unwrap_or_default().trim().to_string())
    }

    /// A small shell loop that waits for process `owner` to end, then stops the cluster.
    ///
    /// It stops only the postmaster this start launched: by the time it notices the owner is
    /// gone (it looks once a second), the owner may have stopped the cluster itself and the
    /// next command may have started it again in the same folder, and that one is not ours.
    fn spawn_watchdog(&self, owner: u32) -> Result<std::process::Child, LocalPgError> {
        let postmaster = self.postmaster_pid()?;
        let pg_ctl = self.bin_dir.join("pg_ctl");
        let stop = if self.as_postgres_user {
            format!(
                "runuser -u postgres -- '{}' -D '{}' stop -m fast -w",
                pg_ctl.display(),
                self.data_dir.display()
            )
        } else {
            format!(
                "'{}' -D '{}' stop -m fast -w",
                pg_ctl.display(),
                self.data_dir.display()
            )
        };
        let script = format!(
            "while kill -0 {owner} 2>/dev/null; do sleep 1; done; \
             [ \"$(head -n 1 '{dir}/postmaster.pid' 2>/dev/null)\" = '{postmaster}' ] \
             && {stop} >/dev/null 2>&1; {cleanup}",
            dir = self.data_dir.display(),
            cleanup = if self.remove_on_stop {
                format!("rm -rf '{}'", self.data_dir.display())
            } else {
                String::new()
            }
        );
        // A process group of its own: killing the owner's group (Ctrl-C, a CI job timeout)
        // must not take the watchdog with it.
        use std::os::unix::process::CommandExt;
        Ok(Command::new("sh")
            .arg("-c")
            .arg(script)
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?)
    }
}

impl Drop for LocalPostgres {
    fn drop(&mut self) {
        self.stop();
    }
}

const TEMPORARY_PREFIX: &str = "chedai-pg-";

/// Stops and removes every `chedai-pg-<pid>-*` folder in the temp dir whose `<pid>` is no
/// longer running. Best effort: a folder we cannot remove is left for the next sweep.
fn sweep_abandoned_temporaries() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(TEMPORARY_PREFIX)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let dir = entry.path();
        if dir.join("postmaster.pid").exists()
            && let Ok(bin_dir) = find_binaries()
        {
            // Dropping it stops the postmaster and removes the folder.
            drop(LocalPostgres {
                bin_dir,
                data_dir: dir.clone(),
                port: 0,
                as_postgres_user: is_root(),
                remove_on_stop: true,
                stopped: false,
            });
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// `initdb` on PATH, else the newest `/usr/lib/postgresql/<version>/bin`.
pub fn find_binaries() -> Result<PathBuf, LocalPgError> {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            if ["initdb", "pg_ctl", "psql"]
                .iter()
                .all(|b| dir.join(b).is_file())
            {
                return Ok(dir);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|_| LocalPgError::BinariesNotFound)?
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions
        .pop()
        .map(|(_, bin)| bin)
        .ok_or(LocalPgError::BinariesNotFound)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn postgres_user_exists() -> bool {
    Command::new("id")
        .arg("postgres")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// A loopback port nobody listens on right now.
fn free_port() -> Result<u16, LocalPgError> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

fn run(c: &mut Command, what: &str) -> Result<String, LocalPgError> {
    let output = c.stdin(Stdio::null()).output()?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(LocalPgError::Command {
            what: what.to_string(),
            detail: format!(
                "{}{}",
                String::from_utf8_lossy(&output.stderr),
                String::from_utf8_lossy(&output.stdout)
            ),
        })
    }
}

/// Whether the `postgres` user can reach `path` (every parent must be searchable). As root,
/// a data folder under /root cannot be used; the caller then picks another place.
pub fn reachable_by_postgres(path: &Path) -> bool {
    if !is_root() {
        return true;
    }
    let mut probe = path.to_path_buf();
    while !probe.exists() {
        match probe.parent() {
            Some(p) => probe = p.to_path_buf(),
            None => return false,
        }
    }
    Command::new("runuser")
        .args(["-u", "postgres", "--", "test", "-x"])
        .arg(&probe)
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_cluster_starts_answers_and_goes_away() {
        let mut pg = LocalPostgres::start_temporary().expect("cluster starts");
        pg.ensure_database("probe").expect("database created");
        pg.ensure_database("probe").expect("second call is a no-op");
        let dir = pg.data_dir().to_path_buf();
        assert!(dir.join("PG_VERSION").exists());
        pg.stop();
        assert!(!dir.exists(), "a temporary cluster removes its folder");
    }

    #[test]
    fn a_folder_left_by_a_dead_process_is_swept_by_the_next_start() {
        // pid 0 is never a process of ours: the folder's owner is "gone".
        let left = std::env::temp_dir().join(format!("{TEMPORARY_PREFIX}0-{}", std::process::id()));
        // Built aside and renamed into place: a sweep by a test running alongside may remove
        // it at any moment, which is what this test expects anyway.
        let staging = std::env::temp_dir().join(format!("staging-{}", std::process::id()));
        std::fs::create_dir_all(staging.join("base")).unwrap();
        std::fs::write(staging.join("base").join("junk"), b"x").unwrap();
        std::fs::rename(&staging, &left).unwrap();
        let mut pg = LocalPostgres::start_temporary().expect("cluster starts");
        assert!(!left.exists(), "the abandoned folder is removed");
        assert!(pg.data_dir().exists(), "our own folder is not");
        pg.stop();
    }

    #[test]
    fn a_watchdog_leaves_alone_the_cluster_the_next_command_started_in_its_folder() {
        let dir =
            std::env::temp_dir().join(format!("{TEMPORARY_PREFIX}{}-handover", std::process::id()));
        // One command's cluster, watched on behalf of a process that ends after it stopped it.
        let mut first = LocalPostgres::start(&dir, Durability::Throwaway).expect("cluster starts");
        let mut owner = Command::new("sleep").arg("600").spawn().unwrap();
        let mut watchdog = first.spawn_watchdog(owner.id()).expect("watchdog starts");
        first.stop();
        // The next command starts the cluster again in the same folder before that watchdog
        // has noticed its owner is gone.
        let mut next = LocalPostgres::start(&dir, Durability::Throwaway).expect("restarts");
        owner.kill().unwrap();
        owner.wait().unwrap();
        watchdog.wait().unwrap();
        let answer = next.psql("SELECT 1");
        next.stop();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            answer
                .expect("the next command's cluster still answers")
                .trim(),
            "1"
        );
    }

    #[test]
    fn a_cluster_that_cannot_start_says_what_its_log_said() {
        let dir =
            std::env::temp_dir().join(format!("{TEMPORARY_PREFIX}{}-broken", std::process::id()));
        let mut pg = LocalPostgres::start(&dir, Durability::Throwaway).expect("cluster starts");
        pg.stop();
        let conf = dir.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).unwrap();
        text.push_str("\nno_such_setting_here = 1\n");
        std::fs::write(&conf, text).unwrap();
        let err = LocalPostgres::start(&dir, Durability::Throwaway).expect_err("a bad setting");
        let _ = std::fs::remove_dir_all(&dir);
        let message = err.to_string();
        assert!(
            message.contains("no_such_setting_here"),
            "the log names the bad setting: {message}"
        );
    }
}
