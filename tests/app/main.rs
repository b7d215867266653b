//! Integration tests through the real router and a real database (SQLite, or PostgreSQL when
//! `TEST_DATABASE_URL` is set). One binary keeps link times down.

mod account;
mod approvals;
mod as_of;
mod auth;
mod authorization;
mod caching;
mod compare_api;
mod compare_corpus;
mod concurrency;
mod corrections;
mod documents;
mod hardening;
mod helpers;
mod hostile;
mod hygiene;
mod import_export;
mod lifecycle;
mod linked_data;
mod meetings;
mod openapi;
mod pages;
mod plans;
mod reader;
mod records;
mod rendering;
mod reviews;
mod search;
mod timeline;
mod translations;
mod web;
mod withdrawal_dates;
mod xss;
