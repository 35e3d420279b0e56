//! The compiler keeps official data behind the use cases only while the crates above this one
//! cannot name `danvan-store`: every method that changes official data takes a
//! `danvan_store::Actor`, which only this crate makes (from a `User`, after its checks), and
//! `danvan_app::store` re-exports the store without it. This test keeps that true: the web
//! application and the binary list `danvan-store` only among their dev-dependencies (for tests
//! that set up and read the database).

fn dependencies(manifest: &str) -> String {
    let start = manifest.find("\n[dependencies]").expect("a [dependencies] table");
    let rest = &manifest[start + 1..];
    let end = rest[1..].find("\n[").map_or(rest.len(), |i| i + 1);
    rest[..end].to_owned()
}

#[test]
fn only_the_application_layer_depends_on_the_store() {
    for crate_dir in ["danvan-web", "danvan-cli"] {
        let path = format!("{}/../{crate_dir}/Cargo.toml", env!("CARGO_MANIFEST_DIR"));
        let manifest = std::fs::read_to_string(&path).expect("the manifest");
        let deps = dependencies(&manifest);
        assert!(
            deps.contains("danvan-app"),
            "{crate_dir} depends on the application layer"
        );
        assert!(
            !deps.contains("danvan-store"),
            "{crate_dir} must reach the store only through danvan_app::store:\n{deps}"
        );
    }
}

#[test]
fn the_dependency_table_is_read_as_written() {
    let manifest = "[package]\nname = \"x\"\n\n[dependencies]\na.workspace = true\n\n[dev-dependencies]\ndanvan-store.workspace = true\n";
    let deps = dependencies(manifest);
    assert!(deps.contains("a.workspace"));
    assert!(!deps.contains("danvan-store"));
    let bad = "[dependencies]\ndanvan-store.workspace = true\n";
    assert!(dependencies(&format!("\n{bad}")).contains("danvan-store"));
}
