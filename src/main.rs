use clap::Parser;

fn main() {
    let cli = debrief::cli::Cli::parse();
    if let Err(e) = debrief::cli::run(cli) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
