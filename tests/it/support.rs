//! Shared pieces of the system tests.

use std::path::PathBuf;
use std::process::{Child, Command};

/// The app binary cargo built for these tests.
pub fn parapet_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_parapet"))
}

/// A `parapet` command with a private data directory and no inherited override.
pub fn parapet(data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(parapet_binary());
    command.env("PARAPET_DATA_DIR", data_dir);
    command
}

/// True under CI, where a missing prerequisite is a failure rather than a skip.
pub use parapet_testkit::in_ci;

/// Whether an executable is on PATH.
pub fn on_path(binary: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(binary).is_file()))
}

/// A child process that is killed when the test ends, pass or fail.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}
