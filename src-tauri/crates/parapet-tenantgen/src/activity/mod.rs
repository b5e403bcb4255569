//! Everyday activity and the record builders shared with attacks and look-alikes.

pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod benign;
pub(crate) mod mail;
pub(crate) mod signin;
