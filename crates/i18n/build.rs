//! The catalogs are embedded by `static_loader!`, which cargo does not watch for new files:
//! rebuild when anything under web/locales changes.

fn main() {
    println!("cargo::rerun-if-changed=../../web/locales");
}
