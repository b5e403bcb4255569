//! Collection against the Graph simulator over real HTTP on 127.0.0.1: the evidence rebuilt
//! from the store scans to the same incidents as the snapshot it was served from.

mod faults;
mod incremental;
mod licence;
mod roundtrip;
mod support;
