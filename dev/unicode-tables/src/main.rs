//! Writes the normalizer's code point table: `cargo run -p paradedup-unicode-tables`, from the
//! top of the repository, rewrites `src/normalize/general/props/table_data.rs`.

use std::path::Path;

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../src/normalize/general/props/table_data.rs");
    let text = paradedup_unicode_tables::generate();
    if let Err(e) = std::fs::write(&path, text) {
        eprintln!("unicode-tables: cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
    println!("wrote {}", path.display());
}
