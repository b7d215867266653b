//! A snapshot of `/api/openapi.json`, so every change to the API's paths, parameters or schemas
//! shows up as a diff of `snapshots/app__openapi__openapi_json.snap` in review.
//!
//! After a deliberate API change, update the snapshot (cargo-insta is not needed) with
//! `INSTA_UPDATE=always cargo test --test app openapi` and commit the changed `.snap` file.
//! With `CI=true` a mismatch fails and nothing is written.

use crate::helpers::TestApp;

#[tokio::test]
async fn openapi_json() {
    let app = TestApp::new().await;
    let res = app.get("/api/openapi.json").await;
    res.assert_status(200);
    // Sorted keys: the snapshot depends on the document, not on the order a map was built in.
    insta::with_settings!({ sort_maps => true }, {
        insta::assert_json_snapshot!(res.json());
    });
}
