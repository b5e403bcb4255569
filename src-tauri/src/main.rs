use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = parapet_cli::Cli::parse();
    match &cli.command {
        Some(command) => parapet_cli::run(command, &cli.context_options()),
        None => parapet_lib::run(&cli.context_options()),
    }
}
