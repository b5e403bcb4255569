//! Integration tests of parapet-snapshot, one binary (see Cargo.toml `[[test]]`).
//!
//! Most tests read /work/shared (the example scenarios and Microsoft's documented examples),
//! found as `<repo>/../shared` or `$PARAPET_SHARED_DIR`; without it they print a note and pass,
//! unless `$CI` is set, where they fail.

mod broken;
mod graph_examples;
mod scenarios;
mod support;
mod write;
