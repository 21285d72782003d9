fn main() {
    std::process::exit(vigie::cli::main());
}
