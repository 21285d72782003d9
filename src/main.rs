// mimalloc: the build allocates many small strings from every thread at
// once, which glibc's allocator serves slower and with more memory kept.
// Built without transparent huge pages (`no_thp` in Cargo.toml): with them,
// each 2 MiB page touched counts whole, and a 455-page site peaked at 135 MB
// instead of 87.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `arena_eager_commit` option (number 4 of its `mi_option_t`),
/// which its Rust binding does not name.
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

fn main() {
    // Committing arenas eagerly makes every thread that allocates (a search
    // request in `serve`) cost resident memory that is never given back.
    // SAFETY: sets an allocator option; called before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0) };
    std::process::exit(vigie::cli::main());
}
