//! normen-registry: Normen's guidance material (fact sheets and guides) through its whole life.

pub mod api;
pub mod auth;
pub mod caching;
pub mod config;
pub mod csrf;
pub mod db;
pub mod diff;
pub mod domain;
pub mod entities;
pub mod error;
pub mod links;
pub mod logging;
pub mod markdown;
pub mod ops;
pub mod routes;
pub mod server;
pub mod services;
pub mod session;
pub mod state;
pub mod web;

pub use routes::build_router;
pub use state::AppState;
