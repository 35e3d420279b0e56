//! The mobilization domain, free of I/O.
//!
//! This crate knows the words of the work (agencies and their lifetimes, roles, accounts, the
//! clock that says what "today" is) and the rules that hold whatever stores or shows them. It
//! knows nothing of HTTP or SQL: the store persists these types and the web shows them.
//!
//! Errors here are `thiserror` enums whose variants carry a stable code; the Vietnamese text a
//! user reads is kept in [`message`], in one place.

pub mod account;
pub mod addressee;
pub mod admin_map;
pub mod audit;
pub mod calendar;
pub mod clock;
pub mod collation;
pub mod computed;
pub mod date;
pub mod directive;
pub mod document;
pub mod evaluation;
pub mod identifier;
pub mod initiative;
pub mod lunar;
pub mod message;
pub mod queue;
pub mod report;
pub mod restructure;
pub mod retention;
pub mod role;
pub mod rubric;
pub mod scoring;
pub mod search;
pub(crate) mod toml_text;
pub mod totp;
pub mod training;
pub mod unit;

pub use account::{Password, PasswordError, Username};
pub use clock::Clock;
pub use role::Role;
pub use unit::{NewUnit, Succession, SuccessionKind, Unit, UnitError, UnitGroup, UnitKind};
