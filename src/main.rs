//! The `marginalia` binary: the window, or a headless subcommand.

use clap::Parser;
use marginalia::cli::{self, Cli};

fn main() {
    let args = Cli::parse();
    if let Some(cmd) = args.command {
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
