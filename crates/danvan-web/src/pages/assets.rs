//! Static files, embedded in the binary so that nothing is fetched from elsewhere.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

const STYLESHEET: &str = include_str!("../../static/style.css");
/// The self-assessment form's running totals (our own script; the page works without it).
const ASSESSMENT_SCRIPT: &str = include_str!("../../static/assessment.js");

pub async fn assessment_script() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        ASSESSMENT_SCRIPT,
    )
}

/// danvan's own icon (a "D" with a star), drawn for the project.
const FAVICON: &str = include_str!("../../static/favicon.svg");

pub async fn favicon() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "image/svg+xml"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON,
    )
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}
