//! The `marginalia` binary: the window, or a headless subcommand.

use clap::Parser;
use marginalia::cli::{self, Cli};

fn main() {
    keep_freed_memory();
    let raw: Vec<String> = std::env::args().collect();
    if let Some(msg) = cli::unknown_command(&raw) {
        eprintln!("marginalia: error: {msg}");
        std::process::exit(2);
    }
    let args = Cli::parse();
    if let Some(cmd) = args.command {
        quiet_broken_pipe();
        std::process::exit(cli::run(cmd, args.legacy_encoding));
    }
    #[cfg(feature = "gui")]
    {
        std::process::exit(marginalia::app::run_window(args.path, args.legacy_encoding));
    }
    #[cfg(not(feature = "gui"))]
    {
        eprintln!(
            "marginalia: this build has no window (built without the `gui` feature); use a subcommand, see --help"
        );
        std::process::exit(2);
    }
}

/// The window rebuilds its vertex buffers on every frame. With glibc's
/// defaults, freed memory at the top of the heap (over 128 KiB) goes back
/// to the system and comes back on the next frame as fresh pages: page
/// faults on every frame. Keep up to 64 MiB instead (no effect elsewhere).
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const KEEP: libc::c_int = 64 << 20;
        // SAFETY: mallopt only changes allocator parameters; it is called
        // once, before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_TRIM_THRESHOLD, KEEP);
            libc::mallopt(libc::M_MMAP_THRESHOLD, KEEP);
        }
    }
}

/// A headless command piped into `head` ends quietly when the reader
/// closes the pipe, as Unix tools do, instead of panicking on the next
/// line printed (Rust ignores SIGPIPE by default).
fn quiet_broken_pipe() {
    #[cfg(unix)]
    {
        // SAFETY: restoring the default action of one signal before the
        // command starts its threads; no handler is installed.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
}
