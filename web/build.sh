#!/usr/bin/env bash
# Builds the page into web/dist/index.html: one self-contained file (its script, its Web Worker
# and the checker compiled to WebAssembly inside it, base64), which works opened from disk
# (file://) as well as from any static web server. Needs the Rust toolchain with the
# wasm32-unknown-unknown target (added here with rustup when missing), wasm-bindgen-cli at the
# version of the wasm-bindgen crate in web/Cargo.lock (installed here from crates.io when
# missing) and python3. (wasm-opt is not run: Debian's binaryen 108 breaks the table of
# JavaScript values that this wasm-bindgen needs, and the module is small enough without it.)
#
#   web/build.sh            # → web/dist/index.html
set -euo pipefail
cd "$(dirname "$0")"
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
version=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$version" ]; then
  # Not --locked: the tool's own lock names crate versions the registry mirror may lack.
  # --debug: it installs in about half the time (5 min against 9 on the 2-core machine) and
  # writes the same bytes; it runs in 3 s instead of 0.5.
  cargo install wasm-bindgen-cli --version "=$version" --debug
fi
cargo build --release --locked --target wasm32-unknown-unknown --target-dir target
rm -rf target/pkg
wasm-bindgen --target no-modules --no-typescript --remove-name-section --remove-producers-section \
  --out-dir target/pkg \
  target/wasm32-unknown-unknown/release/suanpan_web.wasm
python3 assemble.py target/pkg dist
