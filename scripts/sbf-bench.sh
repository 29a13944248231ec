#!/usr/bin/env bash
# Compute units of rwa-math on the real SBF VM, from registry packages alone:
#   1. Debian's rustc-web 1.96 (LLVM 22) and its prebuilt core/alloc for bpfel-unknown-none,
#      unpacked into a private prefix (the system toolchain is left alone);
#   2. sbpf-linker 0.2.6 from crates.io, switched from LLVM 23 to LLVM 22;
#   3. bench/sbf-valuation built for SBF with them, twice: the valuation program, and with
#      `--features accounts` the refresh_rate program (reads and pricing from the account bytes
#      in bench/fixtures/, which tests/dcf_pricer/pool_fixture.rs holds to the programs' layout);
#   4. bench/sbf-runner (LiteSVM 0.16) runs both and prints the CU tables.
# Idempotent: the toolchain is cached in $SBF_TOOLCHAIN_DIR (default .sbf-toolchain/).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${SBF_TOOLCHAIN_DIR:-$repo/.sbf-toolchain}
prefix=$cache/debian
linker_src=$cache/sbpf-linker-0.2.6
mkdir -p "$cache"

if [ ! -x "$prefix/usr/bin/rustc" ]; then
  echo "== unpacking Debian's rustc-web and its SBF core/alloc into $prefix"
  debs=$cache/debs
  mkdir -p "$debs"
  pkgs=(rustc-web libstd-rust-web-1.96 libstd-rust-web-dev libstd-rust-web-dev-bpf libllvm22)
  (cd "$debs" && apt-get download "${pkgs[@]}") || {
    apt-get update -qq
    (cd "$debs" && apt-get download "${pkgs[@]}")
  }
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$prefix"; done
fi
export LD_LIBRARY_PATH=$prefix/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
"$prefix/usr/bin/rustc" --version

if [ ! -x "$linker_src/target/release/sbpf-linker" ]; then
  echo "== building sbpf-linker 0.2.6 against LLVM 22"
  fetch=$cache/fetch
  mkdir -p "$fetch/src"
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nsbpf-linker = "=0.2.6"\n[workspace]\n' >"$fetch/Cargo.toml"
  : >"$fetch/src/lib.rs"
  cargo fetch --manifest-path "$fetch/Cargo.toml" -q
  crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/sbpf-linker-0.2.6.crate | head -n 1)
  rm -rf "$linker_src"
  tar -xzf "$crate" -C "$cache"
  rm -f "$linker_src/rust-toolchain.toml"
  sed -i 's#"bpf-linker/llvm-23"#"bpf-linker/llvm-22"#' "$linker_src/Cargo.toml"
  printf '\n[workspace]\n' >>"$linker_src/Cargo.toml" # not a member of an enclosing workspace
  cargo build --release --manifest-path "$linker_src/Cargo.toml" -q
fi

echo "== building bench/sbf-valuation for bpfel-unknown-none (valuation, then accounts)"
(
  cd "$repo/bench/sbf-valuation"
  export PATH=$linker_src/target/release:$PATH RUSTC=$prefix/usr/bin/rustc
  cargo build --release -q
  cargo build --release -q --features accounts --target-dir target/accounts
)
so=$repo/bench/sbf-valuation/target/bpfel-unknown-none/release/libsbf_valuation.so
accounts_so=$repo/bench/sbf-valuation/target/accounts/bpfel-unknown-none/release/libsbf_valuation.so
ls -l "$so" "$accounts_so"

echo "== running them in LiteSVM"
cargo run --release -q --manifest-path "$repo/bench/sbf-runner/Cargo.toml" -- "$so" "$accounts_so"
