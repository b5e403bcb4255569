//! Integration tests over real HTTP on 127.0.0.1. Nothing here contacts a Microsoft host:
//! every client is built from `Endpoints::under_prefix(<local server>)`.

mod auth;
mod calls;
mod examples;
mod isolation;
mod paging;
mod retries;
mod routes;
mod simulator;
mod support;
